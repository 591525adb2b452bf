// Entry of PasswordHasher's worker thread (password.ts): registers tsx's loader
// in this thread, then runs the TypeScript module. A loader given in the
// worker's execArgv did not reach its entry module on Node 20.
import { register } from 'tsx/esm/api';

register();
await import('./password-thread.ts');
