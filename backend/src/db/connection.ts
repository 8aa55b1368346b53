import mongoose from 'mongoose';
// Importing the models registers every one of them with mongoose.
import './models';

const BUFFER_TIMEOUT_MS = 3_000;
const SERVER_SELECTION_TIMEOUT_MS = 5_000;

/** Connects mongoose and makes sure every index exists (unique indexes are how uniqueness is enforced). */
export async function connectMongo(uri: string): Promise<typeof mongoose> {
  mongoose.set('strictQuery', true);
  // While MongoDB is away, an operation waits for it (the driver's server selection, or mongoose's
  // buffer once it knows), then fails: a request should hear 503 within seconds, well under a client's
  // patience, not after the defaults' 10–30 s (a list also waits up to HISTORY_READ_WAIT_MS first).
  mongoose.set('bufferTimeoutMS', BUFFER_TIMEOUT_MS);
  const connection = await mongoose.connect(uri, {
    serverSelectionTimeoutMS: SERVER_SELECTION_TIMEOUT_MS,
    autoIndex: false,
  });
  // Every registered model, so a collection's indexes cannot be forgotten: lists page over them.
  await Promise.all(Object.values(mongoose.models).map((model) => model.createIndexes()));
  return connection;
}

export async function pingMongo(timeoutMs: number): Promise<boolean> {
  const db = mongoose.connection.db;
  if (mongoose.connection.readyState !== 1 || !db) return false;
  try {
    await Promise.race([
      db.admin().ping(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs).unref()),
    ]);
    return true;
  } catch {
    return false;
  }
}
