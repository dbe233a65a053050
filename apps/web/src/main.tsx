import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { CognitoAuthService } from './auth/cognito-auth.ts';
import { loadConfig } from './config/config.ts';
import { applyStoredTheme } from './design/theme.ts';
import './design/tokens.css';
import './styles.css';
import './design/components.css';
import './design/security.css';

applyStoredTheme();
const root = createRoot(document.getElementById('root')!);

loadConfig(import.meta.env).then(
  (config) => {
    const service = new CognitoAuthService(config);
    root.render(
      <StrictMode>
        <App service={service} apiUrl={config.apiUrl} filesUrl={config.filesUrl} />
      </StrictMode>,
    );
  },
  (err: unknown) => {
    // Without configuration nothing works: say so plainly instead of showing a blank page.
    console.error(err);
    root.render(
      <main id="main" className="card narrow">
        <h1>The app is not configured</h1>
        <p role="alert">{err instanceof Error ? err.message : String(err)}</p>
      </main>,
    );
  },
);
