import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

afterEach(() => {
  cleanup();
  // Node-environment tests (against the real IdP) have no localStorage.
  if (typeof localStorage !== 'undefined') localStorage.clear();
});
