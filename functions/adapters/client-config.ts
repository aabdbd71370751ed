/** What every AWS SDK client factory shares: settings from the environment, built once per process. */

/** Reads a required setting once and fails fast with its name. */
export function requiredEnv(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`missing configuration: ${name}`);
  return v;
}

/** The local server's endpoint when MOTCUA_*_ENDPOINT names one; AWS's otherwise. */
export const endpoint = (name: string): { endpoint?: string } => {
  const v = process.env[name];
  return v ? { endpoint: v } : {};
};

export function once<T>(make: () => T): () => T {
  let v: T | undefined;
  return () => {
    v ??= make();
    return v;
  };
}
