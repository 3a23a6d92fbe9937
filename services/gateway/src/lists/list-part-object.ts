/** Object name of one import's part in the list-parts store. */
export const listPartObject = (listId: string, importId: string) => `lists/${listId}/${importId}.ndjson`;
