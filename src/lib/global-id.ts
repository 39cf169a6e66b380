// Ids of objects that have no row id of their own (a preference cell, a personal channel, an attempt): the type's
// name and the parts that identify it, joined by ':'. Row ids are UUIDs and contain no ':', so the two never meet,
// and a derived id names its type without a lookup.

const SEPARATOR = ':';

export function derivedId(typeName: string, ...parts: readonly (string | number)[]): string {
  return [typeName, ...parts].join(SEPARATOR);
}

/** The type name and parts of a derived id, or null for anything else (a row's UUID, a malformed id). */
export function parseDerivedId(id: string): { typeName: string; parts: string[] } | null {
  const [typeName, ...parts] = id.split(SEPARATOR);
  if (parts.length === 0 || !/^[A-Z][A-Za-z]*$/.test(typeName)) return null;
  return { typeName, parts };
}
