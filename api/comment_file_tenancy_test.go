package api_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/store/storetest"
)

// crossTenantComment is a comment body aimed at another tenant's task.
var crossTenantComment = map[string]any{
	"body_json": map[string]any{"type": "doc", "content": []any{}},
	"body_html": "<p>Planted by A</p>",
}

// crossTenantUploadType is the Content-Type of crossTenantUpload's body.
const crossTenantUploadType = "multipart/form-data; boundary=crosstenant"

// crossTenantUpload is a multipart upload of a small text file, attached to taskID when set.
func crossTenantUpload(taskID string) []byte {
	body := ""
	if taskID != "" {
		body += "--crosstenant\r\nContent-Disposition: form-data; name=\"task_id\"\r\n\r\n" + taskID + "\r\n"
	}
	body += "--crosstenant\r\nContent-Disposition: form-data; name=\"file\"; filename=\"planted.txt\"\r\n" +
		"Content-Type: text/plain\r\n\r\nPlanted by A\r\n--crosstenant--\r\n"
	return []byte(body)
}

func (id tenantIDs) projectPath(orgID, projectID string) string {
	return "/api/v1/orgs/" + orgID + "/projects/" + projectID
}

// commentsB is the comments route of org B's task, addressed through orgID and projectID.
func (id tenantIDs) commentsB(orgID, projectID string) string {
	return id.projectPath(orgID, projectID) + "/tasks/" + id.BoardB.Task + "/comments"
}

// mustInsertCommentAndFile writes a comment by authorID and a file row on taskID as the schema owner.
func mustInsertCommentAndFile(t *testing.T, db *storetest.DB, orgID, projectID, taskID, authorID string) (string, string) {
	t.Helper()
	ctx, commentID, fileID := context.Background(), uuid.NewString(), uuid.NewString()
	_, err := db.Owner.Bun().ExecContext(ctx, `INSERT INTO task_comments (id, organization_id, task_id, author_id, body_json, body_html)
		VALUES (?, ?, ?, ?, '{"type":"doc"}', '<p>Victim comment</p>')`, commentID, orgID, taskID, authorID)
	require.NoError(t, err)
	_, err = db.Owner.Bun().ExecContext(ctx, `INSERT INTO files (id, organization_id, project_id, task_id, uploader_id, name,
		content_type, size_bytes, storage_key) VALUES (?, ?, ?, ?, ?, 'victim.txt', 'text/plain', 6, ?)`,
		fileID, orgID, projectID, taskID, authorID, orgID+"/"+fileID+".txt")
	require.NoError(t, err)
	return commentID, fileID
}
