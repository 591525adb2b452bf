/**
 * IPC channel names and payload types shared by the main process and the
 * preload bridge. No electron import here: both sides type against this file.
 */
export const IpcChannel = {
  GetServerUrl: 'sealtime:get-server-url',
  AppVersion: 'sealtime:app-version',
  /** Renderer → main: print the window to a PDF file the user picks. */
  PrintToPdf: 'sealtime:print-to-pdf',
  /** Renderer → main: one admin API ClientMessage (api/admin-api.ts). */
  ApiMessage: 'sealtime:api',
  /** Main → renderer: one admin API ServerMessage. */
  ApiPush: 'sealtime:api-push',
} as const;

export type IpcChannelName = (typeof IpcChannel)[keyof typeof IpcChannel];

export interface AdminBridge {
  getServerUrl(): Promise<string | null>;
  appVersion(): Promise<string>;
  /** Desktop only: the saved file's path, or null when the user cancelled. */
  printToPdf?(): Promise<{ savedTo: string | null }>;
}
