// The productivity screen wired to the API: the rule book (live), publishing,
// trying a rule, and the last 7 days' productive share per person.
import type { AdminApi } from '../../api/admin-api.js';
import { useSubscription } from '../shell/use-subscription.js';
import { ProductivityReportPanel } from './ProductivityPanels.js';
import { ProductivityRulesView } from './ProductivityRulesView.js';

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

export function ProductivityScreen({ api }: { api: AdminApi }) {
  const book = useSubscription(api, 'productivityRules', {});
  if (book.error && !book.value)
    return (
      <p role="alert" className="error-text">
        {book.error.message}
      </p>
    );
  if (!book.value) return <p className="muted">Loading productivity rules…</p>;
  return (
    <>
      <ProductivityRulesView
        book={book.value}
        onPublish={async (scope, version) => {
          const r = await api.request('publishRuleSet', { scope, version });
          return `Published ${r.docId} to ${r.publishedTo.length} people${r.notProvisioned.length ? ` (${r.notProvisioned.length} not enrolled yet)` : ''}.`;
        }}
        onTest={(rule) => api.request('testRule', { rule })}
      />
      <ProductivityReportPanel api={api} from={day(-6)} to={day(0)} title="Last 7 days" />
    </>
  );
}
