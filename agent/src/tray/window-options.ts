/**
 * Every BrowserWindow the agent opens is built here, without electron: the
 * Electron security checklist as data a test can read. The shapes are a
 * subset of Electron's BrowserWindowConstructorOptions; electron/windows.ts
 * passes them to `new BrowserWindow`, so tsc checks they fit.
 */
import type { AppPage } from './app-protocol.js';

export interface SecureWebPreferences {
  preload: string;
  sandbox: true;
  contextIsolation: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  nodeIntegrationInSubFrames: false;
  webSecurity: true;
  allowRunningInsecureContent: false;
  webviewTag: false;
  experimentalFeatures: false;
  navigateOnDragDrop: false;
  spellcheck: false;
  devTools: boolean;
}

export interface AgentWindowOptions {
  width: number;
  height: number;
  minWidth?: number;
  minHeight?: number;
  title: string;
  show: false;
  resizable: boolean;
  minimizable: boolean;
  maximizable: boolean;
  fullscreenable: false;
  alwaysOnTop: boolean;
  skipTaskbar: boolean;
  autoHideMenuBar: true;
  backgroundColor: string;
  webPreferences: SecureWebPreferences;
}

export function secureWebPreferences(preload: string, devTools = false): SecureWebPreferences {
  return {
    preload,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    devTools,
  };
}

const common = { show: false, fullscreenable: false, autoHideMenuBar: true, backgroundColor: '#f6f7f9' } as const;

export function windowOptions(page: AppPage, preload: string, devTools = false): AgentWindowOptions {
  const webPreferences = secureWebPreferences(preload, devTools);
  switch (page) {
    case 'privacy-centre':
      return {
        ...common,
        width: 960,
        height: 720,
        minWidth: 640,
        minHeight: 480,
        title: 'Sealtime — Privacy centre',
        resizable: true,
        minimizable: true,
        maximizable: true,
        alwaysOnTop: false,
        skipTaskbar: false,
        webPreferences,
      };
    case 'idle-prompt':
      // small, on top, one question: it must be seen on return, not lost behind other windows
      return {
        ...common,
        width: 460,
        height: 240,
        title: 'Sealtime — You were away',
        resizable: false,
        minimizable: false,
        maximizable: false,
        alwaysOnTop: true,
        skipTaskbar: false,
        webPreferences,
      };
    case 'project-search':
      // small, brought up from the tray for one choice; on top so it is not opened behind the work
      return {
        ...common,
        width: 520,
        height: 460,
        minWidth: 360,
        minHeight: 300,
        title: 'Sealtime — Track a project',
        resizable: true,
        minimizable: false,
        maximizable: false,
        alwaysOnTop: true,
        skipTaskbar: false,
        webPreferences,
      };
  }
}

/** The agent never navigates its windows and never opens new ones. */
export const navigationAllowed = (_url: string): boolean => false;
export const windowOpenAllowed = (_url: string): boolean => false;
/** No page may ask for camera, microphone, notifications, geolocation… */
export const permissionAllowed = (_permission: string): boolean => false;
