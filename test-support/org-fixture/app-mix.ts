/** The apps the simulated people use, with how often each comes up and the window titles it shows. */

export interface AppSpec {
  app: string;
  weight: number;
  titles: string[];
  url?: string;
}

export const APPS: readonly AppSpec[] = [
  {
    app: 'firefox',
    weight: 5,
    titles: [
      'Quarterly report — Mozilla Firefox',
      'Sealtime docs — Mozilla Firefox',
      'Ticket #4821 — Mozilla Firefox',
      'Calendar — Mozilla Firefox',
    ],
    url: 'https://intranet.corp.example/',
  },
  {
    app: 'code',
    weight: 4,
    titles: [
      'invoice.ts — billing — Visual Studio Code',
      'README.md — docs — Visual Studio Code',
      'schema.sql — data — Visual Studio Code',
    ],
  },
  { app: 'slack', weight: 3, titles: ['#general — Slack', '#support — Slack', 'Direct message — Slack'] },
  {
    app: 'thunderbird',
    weight: 2,
    titles: ['Inbox — Mozilla Thunderbird', 'Re: contract renewal — Mozilla Thunderbird'],
  },
  {
    app: 'libreoffice-calc',
    weight: 2,
    titles: ['budget-2027.ods — LibreOffice Calc', 'timesheet.ods — LibreOffice Calc'],
  },
  { app: 'gnome-terminal', weight: 2, titles: ['ops@build: ~/deploy', 'ops@build: ~/logs'] },
  { app: 'KeePassXC', weight: 1, titles: ['Passwords.kdbx — KeePassXC'] },
];
const TOTAL_WEIGHT = APPS.reduce((s, a) => s + a.weight, 0);

/** An app for the next span: by weight, or mostly the browser for a jiggler (who leaves one window open). */
export function pickApp(rng: () => number, jiggler: boolean): AppSpec {
  if (jiggler && rng() < 0.8) return APPS[0]!;
  let x = rng() * TOTAL_WEIGHT;
  for (const a of APPS) {
    x -= a.weight;
    if (x < 0) return a;
  }
  return APPS[APPS.length - 1]!;
}
