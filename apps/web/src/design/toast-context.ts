import { createContext, useContext } from 'react';

export type ToastKind = 'success' | 'info' | 'error';

export interface ToastApi {
  /** Shows a short message in the corner for a few seconds (announced politely). */
  show(message: string, kind?: ToastKind): void;
}

export const ToastContext = createContext<ToastApi | null>(null);

/** The toaster; outside a <ToastProvider> (a component rendered alone) toasts go nowhere. */
export function useToast(): ToastApi {
  return useContext(ToastContext) ?? { show: () => {} };
}
