import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { FIELDS } from '../../shared/schema/fields';

function App() {
  return (
    <main>
      <h1>Broadcast Importer</h1>
      <p>Columns the importer understands:</p>
      <ul>
        {FIELDS.map((f) => (
          <li key={f.name}>
            <code>{f.name}</code> — {f.help}
          </li>
        ))}
      </ul>
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
