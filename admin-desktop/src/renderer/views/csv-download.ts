/** Saves text as a file through the browser's download (works in Electron and in Chromium). */
export function downloadText(text: string, fileName: string, type = 'text/csv;charset=utf-8'): void {
  // a BOM so spreadsheet apps read UTF-8 names correctly
  const url = URL.createObjectURL(new Blob(['\uFEFF', text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // revoke after the click has been handled
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
