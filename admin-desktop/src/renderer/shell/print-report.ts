// PDF export: in the desktop app the main process prints the window to a PDF
// file (webContents.printToPDF, save dialog); in a browser (`sealtime-admin
// ui`) the browser's print dialog does it ("Save as PDF"). The print
// stylesheet hides the controls either way.
/** The part of the desktop preload's bridge (ipc/channels.ts AdminBridge) this uses. */
interface PdfBridge {
  printToPdf?(): Promise<{ savedTo: string | null }>;
}

declare global {
  interface Window {
    sealtime?: PdfBridge;
  }
}

/** Where the PDF went (desktop), or null when the browser's dialog handles it. */
export async function printReport(): Promise<string | null> {
  if (window.sealtime?.printToPdf) return (await window.sealtime.printToPdf()).savedTo;
  window.print();
  return null;
}
