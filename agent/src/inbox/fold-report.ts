/** How the inbox folds report a document they refuse (the watcher raises an integrity alert for each). */
import type { InboxDoc } from '@sealtime/shared';

export interface RejectedDoc {
  /** Inbox id of the document. */
  id: string;
  type: string;
  code: string;
  reason: string;
  /** Identifies this version of the document (alerts are raised once per version). */
  version: string;
}

export interface FoldReport {
  /** A document in the inbox that failed. */
  reject: (d: InboxDoc, code: string, reason: string) => void;
  /** A kept document whose inbox copy vanished without a signed withdrawal. */
  vanished: (d: InboxDoc, what: string) => void;
  /** Anything else refused, said in full. */
  refuse: (r: RejectedDoc) => void;
}
