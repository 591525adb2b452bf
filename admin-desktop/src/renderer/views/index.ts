// The review screens: props in, callbacks out; the app shell (h-core) feeds them view models from the API.
export { DashboardView, type DashboardViewProps } from './DashboardView.js';
export { PersonDayView, type PersonDayViewProps } from '@sealtime/shared/ui';
export { GalleryView, type GalleryViewProps } from './GalleryView.js';
export { AttendanceView, type AttendanceViewProps, type AttendanceTab } from './AttendanceView.js';
export { ReportsView, type ReportsViewProps } from './ReportsView.js';
export { AlertList, ActivityMeter } from './AlertList.js';
export { downloadText } from './csv-download.js';
export { PeopleView, type PeopleViewProps, type InviteForm } from './PeopleView.js';
export { DevicesView, type DevicesViewProps } from './DevicesView.js';
