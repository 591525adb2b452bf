// The organisation screens (people and devices, policies, audit and privacy):
// they do not follow the reviewed day and person, so each is one component
// given the API and the signed-in role. A screen adds one entry here.
import type { ReactElement } from 'react';
import type { AdminApi } from '../../api/admin-api.js';
import { PeopleScreen } from './PeopleScreen.js';
import { AuditScreen } from '../views/AuditScreen.js';
import { PoliciesScreen } from '../views/PoliciesScreen.js';
import { PrivacyScreen } from '../views/PrivacyView.js';
import { SchedulesScreen } from '../views/SchedulesScreen.js';
import { ProjectsScreen } from '../views/ProjectsScreen.js';
import { ManualTimeScreen } from '../views/ManualTimeScreen.js';
import { ProductivityScreen } from '../views/ProductivityScreen.js';

export interface OrgScreen {
  id: string;
  label: string;
  /** Roles that see the tab (the core refuses the rest anyway). */
  roles: readonly string[];
  render: (props: { api: AdminApi; role: string; user: string }) => ReactElement;
}

export const ORG_SCREENS: OrgScreen[] = [
  // managers: their teams' people and devices, read-only (the core refuses their changes)
  {
    id: 'people',
    label: 'People and devices',
    roles: ['admin', 'super-admin', 'manager'],
    render: ({ api, user }) => <PeopleScreen api={api} user={user} />,
  },
  // admins only: managers and HR may neither read the directory's layers nor sign one (server access rules)
  {
    id: 'policies',
    label: 'Policies',
    roles: ['admin', 'super-admin'],
    render: ({ api }) => <PoliciesScreen api={api} />,
  },
  { id: 'audit', label: 'Audit log', roles: ['admin', 'super-admin'], render: ({ api }) => <AuditScreen api={api} /> },
  // admins edit (the organisation key signs); HR and managers read what their attendance sheets are measured against
  {
    id: 'schedules',
    label: 'Schedules',
    roles: ['admin', 'super-admin', 'hr', 'manager'],
    render: ({ api }) => <SchedulesScreen api={api} />,
  },
  {
    id: 'privacy',
    label: 'Privacy',
    roles: ['admin', 'super-admin', 'hr'],
    render: ({ api, role }) => <PrivacyScreen api={api} role={role} />,
  },
  // admins create and edit any (the organisation key signs); managers their own teams' (the team key signs)
  {
    id: 'projects',
    label: 'Projects',
    roles: ['admin', 'super-admin', 'manager'],
    render: ({ api }) => <ProjectsScreen api={api} />,
  },
  // managers (their teams) and HR decide as the policy names them; admins may decide any
  {
    id: 'manual-time',
    label: 'Manual time',
    roles: ['admin', 'super-admin', 'hr', 'manager'],
    render: ({ api }) => <ManualTimeScreen api={api} />,
  },
  // admins edit (the organisation key signs the sets); managers read their teams' and the organisation's
  {
    id: 'productivity',
    label: 'Productivity rules',
    roles: ['admin', 'super-admin', 'manager'],
    render: ({ api }) => <ProductivityScreen api={api} />,
  },
];
