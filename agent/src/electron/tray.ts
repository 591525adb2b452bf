/** The always-visible tray icon and its menu, drawn from a TrayView (tray-model.ts). */
import { Menu, Tray, nativeImage, type MenuItemConstructorOptions } from 'electron';
import { join } from 'node:path';
import type { TrayAction, TrayView } from '../tray/tray-model.js';

export class AgentTray {
  private readonly tray: Tray;
  private lastKey = '';

  constructor(
    private readonly iconDir: string,
    private readonly onAction: (action: TrayAction) => void,
  ) {
    this.tray = new Tray(this.icon('tray-paused'));
  }

  private icon(name: string) {
    return nativeImage.createFromPath(join(this.iconDir, `${name}.png`));
  }

  render(view: TrayView): void {
    // rebuilding the native menu on every poll flickers on some desktops: only on change
    const key = JSON.stringify(view);
    if (key === this.lastKey) return;
    this.lastKey = key;
    this.tray.setImage(this.icon(view.icon));
    this.tray.setToolTip(view.tooltip);
    const template: MenuItemConstructorOptions[] = view.items.map((i) =>
      i.type === 'separator'
        ? { type: 'separator' }
        : { label: i.label, enabled: i.enabled, ...(i.action ? { click: () => this.onAction(i.action!) } : {}) },
    );
    this.tray.setContextMenu(Menu.buildFromTemplate(template));
  }

  destroy(): void {
    this.tray.destroy();
  }
}
