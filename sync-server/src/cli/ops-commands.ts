/**
 * Operations commands of `sealtime-server` (purge, erase-employee, backup,
 * restore). Registered on the program built in main.ts.
 */
import type { Command } from 'commander';

export function registerOpsCommands(_program: Command): void {
  // filled in by the ops work (purge, erase-employee, backup, restore)
}
