/** The application menu: lock, quit, the usual edit and view roles; no dev tools in a packaged build. */
import { app, Menu, type MenuItemConstructorOptions } from 'electron';

export function installAppMenu(lock: () => void): void {
  const template: MenuItemConstructorOptions[] = [
    {
      label: 'File',
      submenu: [{ label: 'Lock', accelerator: 'CmdOrCtrl+L', click: lock }, { type: 'separator' }, { role: 'quit' }],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' } as const]),
      ],
    },
    { role: 'windowMenu' },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
