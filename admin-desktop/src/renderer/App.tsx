// The admin app: sign in → unlock → review, driven by the core's session state.
import type { AdminApi } from '../api/admin-api.js';
import { AppShell } from './shell/AppShell.js';
import { SignIn } from './shell/SignIn.js';
import { Unlock } from './shell/Unlock.js';
import { useSubscription } from './shell/use-subscription.js';

export function App({
  api,
  defaultServer,
  disconnected,
}: {
  api: AdminApi;
  defaultServer: string;
  disconnected: boolean;
}) {
  const { value: session, error } = useSubscription(api, 'session', {});
  if (disconnected)
    return (
      <p role="alert" className="error card">
        The connection to the admin core ended. Run <code>sealtime-admin ui</code> again for a fresh link.
      </p>
    );
  if (error)
    return (
      <p role="alert" className="error card">
        {error.message}
      </p>
    );
  if (!session) return <p className="muted card">Connecting…</p>;
  switch (session.state) {
    case 'signed-out':
      return <SignIn api={api} defaultServer={session.server ?? defaultServer} notice={session.notice} />;
    case 'locked':
      return (
        <Unlock api={api} user={session.user} server={session.server} role={session.role} notice={session.notice} />
      );
    case 'unlocked':
      return <AppShell api={api} user={session.user} role={session.role} />;
    case 'error':
      return (
        <p role="alert" className="error card">
          {session.error.message}
        </p>
      );
  }
}
