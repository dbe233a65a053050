import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// Routes are lazy chunks; on a loaded 2-core machine the first import can take longer than Testing
// Library's 1 s default for `findBy*`. A longer wait changes no assertion: it only waits for the page.
configure({ asyncUtilTimeout: 10_000 });

afterEach(() => {
  cleanup();
  // Node-environment tests (against the real IdP) have no localStorage.
  if (typeof localStorage !== 'undefined') localStorage.clear();
});
