// Spreads an optional property only when it has a value (exactOptionalPropertyTypes-friendly).
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
