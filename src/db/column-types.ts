// Column types that differ between the two supported databases, for migrations written once for both.
import { TableForeignKey, type QueryRunner, type TableColumnOptions } from 'typeorm';

export function isPostgres(queryRunner: QueryRunner): boolean {
  return queryRunner.connection.options.type === 'postgres';
}

/** UTC timestamps: timestamptz on PostgreSQL, datetime text (stored as UTC by the driver) on SQLite. */
export function timestamp(queryRunner: QueryRunner, name: string, nullable = false): TableColumnOptions {
  return { name, type: isPostgres(queryRunner) ? 'timestamptz' : 'datetime', isNullable: nullable };
}

export function id(name = 'id'): TableColumnOptions {
  return { name, type: 'varchar', length: '36', isPrimary: true };
}

export function ref(name: string, nullable = false): TableColumnOptions {
  return { name, type: 'varchar', length: '36', isNullable: nullable };
}

export function varchar(name: string, length: number, nullable = false): TableColumnOptions {
  return { name, type: 'varchar', length: String(length), isNullable: nullable };
}

export function text(name: string, nullable = false): TableColumnOptions {
  return { name, type: 'text', isNullable: nullable };
}

export function bool(name: string): TableColumnOptions {
  return { name, type: 'boolean' };
}

export function integer(name: string, nullable = false): TableColumnOptions {
  return { name, type: 'integer', isNullable: nullable };
}

/** A reference to another table's id whose rows go when the referenced row goes. */
export function cascade(column: string, table: string): TableForeignKey {
  return new TableForeignKey({
    columnNames: [column],
    referencedTableName: table,
    referencedColumnNames: ['id'],
    onDelete: 'CASCADE',
  });
}
