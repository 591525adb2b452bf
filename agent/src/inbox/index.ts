export { InboxWatcher, type InboxWatcherOptions } from './inbox-watcher.js';
export {
  foldInbox,
  defaultEffectivePolicy,
  docVersion,
  type EffectivePolicy,
  type AppliedLayer,
  type FoldedInbox,
  type InboxTrust,
  type RejectedDoc,
} from './fold-inbox.js';
