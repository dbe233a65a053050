/** Milliseconds since the epoch. Injected so tests can expire codes and lockouts without sleeping. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

export const seconds = (ms: number) => Math.floor(ms / 1000);
