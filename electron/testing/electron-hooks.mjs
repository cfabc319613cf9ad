// Module resolve hook for main-harness.ts: the specifier 'electron' loads fake-electron.ts instead of the package
// (whose index.js would try to download a binary). Resolved through the rest of the chain, so tsx compiles it.
export async function resolve(specifier, context, next) {
  if (specifier === 'electron') return next('./fake-electron.ts', { ...context, parentURL: import.meta.url });
  return next(specifier, context);
}
