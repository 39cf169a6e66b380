// Raw rows (getRawMany, getRawOne) carry column values as the driver returns them; entities get them converted.
import type { EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';

type ColumnMetadata = EntityMetadata['columns'][number];

/** Converts raw column values of `entity` the way TypeORM hydrates entities (dates, simple-json), per database. */
export function hydrator<T extends ObjectLiteral>(manager: EntityManager, entity: EntityTarget<T>) {
  const metadata = manager.connection.getMetadata(entity);
  const { driver } = manager.connection;
  const columns = new Map<string, ColumnMetadata>();
  return (property: string & keyof T, value: unknown): unknown => {
    let column = columns.get(property);
    if (!column) {
      column = metadata.findColumnWithPropertyName(property)!;
      columns.set(property, column);
    }
    return value === null ? null : driver.prepareHydratedValue(value, column);
  };
}
