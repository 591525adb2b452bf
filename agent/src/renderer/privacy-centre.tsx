// Entry of the privacy centre page.
import { createRoot } from 'react-dom/client';
import '@sealtime/shared/ui/base.css';
import '@sealtime/shared/ui/person-day.css';
import './pages.css';
import { windowBridge } from './bridge.js';
import { localZone } from './local-time.js';
import { PrivacyCentre } from './PrivacyCentre.js';

const root = document.getElementById('root');
if (root) createRoot(root).render(<PrivacyCentre api={windowBridge()} timeZone={localZone()} />);
