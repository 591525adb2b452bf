// The organisation screens (people and devices, policies, audit and privacy):
// they do not follow the reviewed day and person, so each is one component
// given the API and the signed-in role. A screen adds one entry here.
import type { ReactElement } from 'react';
import type { AdminApi } from '../../api/admin-api.js';
import { PrivacyScreen } from '../views/PrivacyView.js';

export interface OrgScreen {
  id: string;
  label: string;
  /** Roles that see the tab (the core refuses the rest anyway). */
  roles: readonly string[];
  render: (props: { api: AdminApi; role: string; user: string }) => ReactElement;
}

export const ORG_SCREENS: OrgScreen[] = [
  { id: 'privacy', label: 'Privacy', roles: ['admin', 'super-admin', 'hr'], render: ({ api, role }) => <PrivacyScreen api={api} role={role} /> },
];
