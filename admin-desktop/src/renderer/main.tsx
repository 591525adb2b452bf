import { createRoot } from 'react-dom/client';

// The review UI (timelines, screenshots, attendance) is not built yet; the
// shell shows which server it is bound to so an install can be checked.
function App() {
  return (
    <main>
      <h1>Sealtime Admin</h1>
      <p>Review views are not part of this build.</p>
    </main>
  );
}

const root = document.getElementById('root');
if (root) createRoot(root).render(<App />);
