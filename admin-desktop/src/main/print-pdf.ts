/**
 * PDF export in the desktop app: the window as it prints (the renderer's
 * print stylesheet hides the controls) saved where the user chooses.
 */
import { BrowserWindow, dialog, ipcMain } from 'electron';
import { writeFile } from 'node:fs/promises';
import { IpcChannel } from '../ipc/channels.js';

export function handlePrintToPdf(isAppUrl: (url: string) => boolean): void {
  ipcMain.handle(IpcChannel.PrintToPdf, async (event) => {
    if (!event.senderFrame || !isAppUrl(event.senderFrame.url)) return { savedTo: null };
    const win = BrowserWindow.fromWebContents(event.sender);
    const stamp = new Date().toISOString().slice(0, 10);
    const options = {
      title: 'Save report as PDF',
      defaultPath: `sealtime-report-${stamp}.pdf`,
      filters: [{ name: 'PDF', extensions: ['pdf'] }],
    };
    const choice = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
    if (choice.canceled || !choice.filePath) return { savedTo: null };
    const pdf = await event.sender.printToPDF({ printBackground: true, pageSize: 'A4', landscape: true });
    await writeFile(choice.filePath, pdf);
    return { savedTo: choice.filePath };
  });
}
