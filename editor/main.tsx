// The editor's entry: the engine worker, the saved graph (or a share link's, or the default
// example), autosave, then the React tree.
import '@xyflow/react/dist/style.css';
import './styles.css';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { db } from './db-instance';
import { EngineClient } from './engine-client';
import { autosave, startUp } from './persistence';

const engine = new EngineClient(db);
await startUp();
autosave();
createRoot(document.getElementById('root')!).render(<App engine={engine} />);
