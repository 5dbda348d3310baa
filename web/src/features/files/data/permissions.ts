/**
 * Whether the signed-in user may delete a file, mirroring the API: files.delete removes any file of a
 * project you see, files.write only the ones you uploaded (a departed uploader's file is no one's own).
 * Sharing a file with the client follows the same rule.
 */
export function mayDeleteFile(can: (permission: string) => boolean, userId: string | undefined, uploaderId: string) {
  if (can('files.delete')) return true
  return can('files.write') && uploaderId !== '' && uploaderId === userId
}
