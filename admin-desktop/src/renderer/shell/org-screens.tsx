// The organisation screens (people and devices, policies, audit and privacy):
// they do not follow the reviewed day and person, so each is one component
// given the API and the signed-in role. A screen adds one entry here.
import type { ReactElement } from 'react';
import type { AdminApi } from '../../api/admin-api.js';
import { PeopleScreen } from './PeopleScreen.js';

export interface OrgScreen {
  id: string;
  label: string;
  /** Roles that see the tab (the core refuses the rest anyway). */
  roles: readonly string[];
  render: (props: { api: AdminApi; role: string; user: string }) => ReactElement;
}

export const ORG_SCREENS: OrgScreen[] = [
  // managers: their teams' people and devices, read-only (the core refuses their changes)
  { id: 'people', label: 'People and devices', roles: ['admin', 'super-admin', 'manager'], render: ({ api, user }) => <PeopleScreen api={api} user={user} /> },
];
