import mongoose from 'mongoose';
import { ActivityModel, ApiKeyModel, JobRecordModel, MembershipModel, UserModel, WorkspaceModel } from './models';

/** Connects mongoose and makes sure every index exists (unique indexes are how uniqueness is enforced). */
export async function connectMongo(uri: string): Promise<typeof mongoose> {
  mongoose.set('strictQuery', true);
  const connection = await mongoose.connect(uri, { serverSelectionTimeoutMS: 10_000, autoIndex: false });
  await Promise.all(
    [WorkspaceModel, UserModel, MembershipModel, ApiKeyModel, JobRecordModel, ActivityModel].map((model) =>
      model.createIndexes(),
    ),
  );
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
