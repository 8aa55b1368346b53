import mongoose from 'mongoose';
// Importing the models registers every one of them with mongoose.
import './models';

/** Connects mongoose and makes sure every index exists (unique indexes are how uniqueness is enforced). */
export async function connectMongo(uri: string): Promise<typeof mongoose> {
  mongoose.set('strictQuery', true);
  const connection = await mongoose.connect(uri, { serverSelectionTimeoutMS: 10_000, autoIndex: false });
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
