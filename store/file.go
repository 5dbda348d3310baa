package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/clientflow/clientflow/domain"
)

const fileNotFound = "File not found."

// fileSelect reads files (alias f) with their uploader's name.
const fileSelect = `SELECT f.id, f.organization_id, f.project_id, coalesce(f.task_id::text, ''),
	coalesce(f.uploader_id::text, ''), coalesce(u.name, ''), f.name, f.content_type, f.size_bytes, f.storage_key,
	f.shared_with_client, f.created_at
	FROM files f LEFT JOIN users u ON u.id = f.uploader_id`

func scanFile(r rowScanner) (*domain.File, error) {
	var f domain.File
	err := r.Scan(&f.ID, &f.OrganizationID, &f.ProjectID, &f.TaskID, &f.UploaderID, &f.UploaderName, &f.Name,
		&f.ContentType, &f.SizeBytes, &f.StorageKey, &f.SharedWithClient, &f.CreatedAt)
	return &f, err
}

// CheckFileTarget answers ENOTFOUND unless the viewer can see projectID and, when taskID is set, it is a
// task of that project. The API calls it before storing an upload's bytes.
func (db *DB) CheckFileTarget(ctx context.Context, orgID string, v domain.Viewer, projectID, taskID string) error {
	return db.inProject(ctx, orgID, v, projectID, func(ctx context.Context, p projectTx) error {
		return checkFileTask(ctx, p, taskID)
	})
}

// checkFileTask answers ENOTFOUND unless taskID is empty (a file of the project itself) or a task of p's
// project.
func checkFileTask(ctx context.Context, p projectTx, taskID string) error {
	if taskID == "" {
		return nil
	}
	return p.checkTask(ctx, taskID)
}

// CreateFile records an uploaded file whose bytes are already stored under f.StorageKey, on behalf of v,
// with file.shared as well when it is shared with the client. The caller sets f.ID (from NewFileID)
// because it named the storage key after it. Errors: ENOTFOUND.
func (db *DB) CreateFile(ctx context.Context, orgID string, v domain.Viewer, f *domain.File) error {
	f.OrganizationID, f.UploaderID = orgID, v.UserID
	f.CreatedAt = time.Now().UTC().Truncate(time.Microsecond)
	err := db.inProject(ctx, orgID, v, f.ProjectID, func(ctx context.Context, p projectTx) error {
		if err := checkFileTask(ctx, p, f.TaskID); err != nil {
			return err
		}
		tx := p.Tx
		if _, err := tx.NewRaw(`INSERT INTO files (id, organization_id, project_id, task_id, uploader_id, name,
			content_type, size_bytes, storage_key, shared_with_client, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			f.ID, orgID, f.ProjectID, nullable(f.TaskID), v.UserID, f.Name, f.ContentType, f.SizeBytes, f.StorageKey,
			f.SharedWithClient, f.CreatedAt).Exec(ctx); err != nil {
			return err
		}
		if err := tx.NewRaw("SELECT name FROM users WHERE id = ?", v.UserID).Scan(ctx, &f.UploaderName); err != nil {
			return err
		}
		if err := recordEvent(ctx, tx, orgID, fileEvent(domain.EventFileUploaded, f, v.UserID)); err != nil {
			return err
		}
		if f.SharedWithClient {
			if err := recordEvent(ctx, tx, orgID, fileSharedEvent(f, v.UserID)); err != nil {
				return err
			}
		}
		return bumpUsage(ctx, tx, orgID, domain.UsageFiles, 1)
	})
	return mapError(err, fileNotFound)
}

// NewFileID returns the ID for a file about to be uploaded, so its storage key can be chosen first.
func NewFileID() string { return newID() }

// Files lists a project's files newest first, or only a task's attachments when taskID is set.
// Errors: ENOTFOUND.
func (db *DB) Files(ctx context.Context, orgID string, v domain.Viewer, projectID, taskID string) ([]*domain.File, error) {
	var out []*domain.File
	err := db.inProject(ctx, orgID, v, projectID, func(ctx context.Context, p projectTx) error {
		if err := checkFileTask(ctx, p, taskID); err != nil {
			return err
		}
		q, args := fileSelect+" WHERE f.organization_id = ? AND f.project_id = ?", []any{p.orgID, p.projectID}
		if taskID != "" {
			q, args = q+" AND f.task_id = ?", append(args, taskID)
		}
		rows, err := p.QueryContext(ctx, q+" ORDER BY f.id DESC LIMIT 500", args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			f, err := scanFile(rows)
			if err != nil {
				return err
			}
			out = append(out, f)
		}
		return rows.Err()
	})
	return out, err
}

// File returns one file of a project the viewer can see. Errors: ENOTFOUND.
func (db *DB) File(ctx context.Context, orgID string, v domain.Viewer, projectID, fileID string) (*domain.File, error) {
	var out *domain.File
	err := db.inProject(ctx, orgID, v, projectID, func(ctx context.Context, p projectTx) error {
		f, err := loadFile(ctx, p, fileID, "")
		out = f
		return err
	})
	return out, err
}

// FileForDelivery returns a file of orgID for a download whose signed URL was already verified; the URL,
// not a viewer, is the permission. The tenant scope guarantees a URL signed for one organization never
// reaches another's file. Errors: ENOTFOUND.
func (db *DB) FileForDelivery(ctx context.Context, orgID, fileID string) (*domain.File, error) {
	if !validUUID(fileID) {
		return nil, domain.Errorf(domain.ENOTFOUND, fileNotFound)
	}
	var out *domain.File
	err := db.inTenant(ctx, orgID, "", func(ctx context.Context, tx bun.Tx) error {
		f, err := scanFile(tx.QueryRowContext(ctx, fileSelect+" WHERE f.organization_id = ? AND f.id = ?", orgID, fileID))
		out = f
		return err
	})
	return out, mapError(err, fileNotFound)
}

// DeleteFile removes a file the viewer uploaded, or any file of the project when anyFile is set (the
// caller decides who may; the API grants it with files.delete). The stored bytes are queued in
// file_purges by the same transaction (a trigger on files) for the PurgeFiles workflow.
// Errors: ENOTFOUND, EFORBIDDEN (someone else's file).
func (db *DB) DeleteFile(ctx context.Context, orgID string, v domain.Viewer, projectID, fileID string, anyFile bool) error {
	return db.inProject(ctx, orgID, v, projectID, func(ctx context.Context, p projectTx) error {
		f, err := loadFile(ctx, p, fileID, " FOR UPDATE OF f")
		if err != nil {
			return err
		}
		tx := p.Tx
		// A file whose uploader left (uploader_id set to NULL) is no one's own any more.
		if !anyFile && (f.UploaderID == "" || f.UploaderID != v.UserID) {
			return domain.Errorf(domain.EFORBIDDEN, "You can delete only files you uploaded.")
		}
		if _, err := tx.NewRaw("DELETE FROM files WHERE organization_id = ? AND id = ?", orgID, f.ID).Exec(ctx); err != nil {
			return err
		}
		return recordEvent(ctx, tx, orgID, fileEvent(domain.EventFileDeleted, f, v.UserID))
	})
}

// SetFileShared shares a file of a project v can see with the project's client, or stops sharing it,
// recording file.shared when it becomes shared. Like a delete, it is the uploader's call unless anyFile
// (the API grants it with files.delete). Errors: ENOTFOUND, EFORBIDDEN (someone else's file).
func (db *DB) SetFileShared(ctx context.Context, orgID string, v domain.Viewer, projectID, fileID string, shared, anyFile bool) (*domain.File, error) {
	var out *domain.File
	err := db.inProject(ctx, orgID, v, projectID, func(ctx context.Context, p projectTx) error {
		f, err := loadFile(ctx, p, fileID, " FOR UPDATE OF f")
		if err != nil {
			return err
		}
		out = f
		if !anyFile && (f.UploaderID == "" || f.UploaderID != v.UserID) {
			return domain.Errorf(domain.EFORBIDDEN, "You can share only files you uploaded.")
		}
		if f.SharedWithClient == shared {
			return nil
		}
		if _, err := p.NewRaw("UPDATE files SET shared_with_client = ? WHERE organization_id = ? AND id = ?",
			shared, orgID, f.ID).Exec(ctx); err != nil {
			return err
		}
		f.SharedWithClient = shared
		if !shared {
			return nil
		}
		return recordEvent(ctx, p.Tx, orgID, fileSharedEvent(f, v.UserID))
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// fileSharedEvent tells the fan-out a file became visible in its client's portal.
func fileSharedEvent(f *domain.File, actorID string) domain.Event {
	return domain.Event{Type: domain.EventFileShared, EntityType: "file", EntityID: f.ID, ActorID: actorID,
		ProjectID: f.ProjectID, Payload: map[string]any{"file_id": f.ID, "project_id": f.ProjectID, "name": f.Name}}
}

// loadFile reads a file of p's project, with lock appended to the statement.
func loadFile(ctx context.Context, p projectTx, fileID, lock string) (*domain.File, error) {
	if !validUUID(fileID) {
		return nil, domain.Errorf(domain.ENOTFOUND, fileNotFound)
	}
	f, err := scanFile(p.QueryRowContext(ctx, fileSelect+" WHERE f.organization_id = ? AND f.project_id = ? AND f.id = ?"+lock,
		p.orgID, p.projectID, fileID))
	return f, mapError(err, fileNotFound)
}

func fileEvent(typ string, f *domain.File, actorID string) domain.Event {
	payload := map[string]any{"name": f.Name, "size_bytes": f.SizeBytes}
	if f.TaskID != "" {
		payload["task_id"] = f.TaskID
	}
	return domain.Event{Type: typ, EntityType: "file", EntityID: f.ID, ActorID: actorID, ProjectID: f.ProjectID,
		Payload: payload}
}
