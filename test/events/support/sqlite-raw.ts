// Runs SQL on a SQLite store's file with a connection of its own, as an outside tool would (tests that
// alter stored bytes, columns or rows behind the store's back).
import Database from 'better-sqlite3';

export function withRaw<T>(file: string, work: (db: Database.Database) => T): T {
  const db = new Database(file);
  try {
    return work(db);
  } finally {
    db.close();
  }
}
