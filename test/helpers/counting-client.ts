import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** `db` behind a counter of the requests sent through it: how many round trips an adapter makes. */
export function countingClient(db: DynamoDBDocumentClient): { client: DynamoDBDocumentClient; requests(): number } {
  let n = 0;
  const client = {
    send: (cmd: never) => {
      n++;
      return db.send(cmd);
    },
  } as unknown as DynamoDBDocumentClient;
  return { client, requests: () => n };
}
