package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store"
	"github.com/clientflow/clientflow/store/filestore"
)

// defaultFilesMaxBytes caps one upload when FILES_MAX_BYTES is unset (25 MiB).
const defaultFilesMaxBytes = 25 << 20

// File is an uploaded document of a project, attached to a task when task_id is set. Download it through
// the signed URL from get-file-url.
type File struct {
	ID           string  `json:"id" format:"uuid"`
	ProjectID    string  `json:"project_id" format:"uuid"`
	TaskID       *string `json:"task_id" format:"uuid"`
	UploaderID   string  `json:"uploader_id"`
	UploaderName string  `json:"uploader_name"`
	Name         string  `json:"name"`
	ContentType  string  `json:"content_type"`
	SizeBytes    int64   `json:"size_bytes"`
	// SharedWithClient shows the file in the portal of the project's client.
	SharedWithClient bool      `json:"shared_with_client"`
	CreatedAt        time.Time `json:"created_at"`
}

// FileUpdate changes a file's sharing with the project's client.
type FileUpdate struct {
	SharedWithClient bool `json:"shared_with_client" doc:"Show the file in the portal of the project's client."`
}

func fileFrom(f *domain.File) File {
	out := File{ID: f.ID, ProjectID: f.ProjectID, UploaderID: f.UploaderID, UploaderName: f.UploaderName, Name: f.Name,
		ContentType: f.ContentType, SizeBytes: f.SizeBytes, SharedWithClient: f.SharedWithClient, CreatedAt: f.CreatedAt}
	if f.TaskID != "" {
		out.TaskID = &f.TaskID
	}
	return out
}

// FileList is a project's files or a task's attachments, newest first.
type FileList struct {
	Data []File `json:"data"`
}

// FileURL is a short-lived download link.
type FileURL struct {
	URL       string    `json:"url"`
	ExpiresAt time.Time `json:"expires_at"`
}

// FilePath addresses one file of a project.
type FilePath struct {
	ProjectPath
	FileID string `path:"file_id" format:"uuid" doc:"File ID."`
}

// FileUploadInput is a multipart upload, read as a stream (see uploadFile) rather than buffered by Huma.
type FileUploadInput struct {
	ProjectPath
	body        io.Reader
	contentType string
}

// Resolve keeps the raw body and its content type for streaming.
func (in *FileUploadInput) Resolve(ctx huma.Context) []error {
	in.body, in.contentType = ctx.BodyReader(), ctx.Header("Content-Type")
	return nil
}

func (s *Server) registerFiles() {
	tags := []string{"Files"}
	base := "/api/v1/orgs/{org_id}/projects/{project_id}"
	errs := []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound}
	huma.Register(s.api, huma.Operation{
		OperationID: "list-project-files", Method: http.MethodGet, Path: base + "/files", Tags: tags, Security: security,
		Extensions: requires(domain.PermFilesRead), Summary: "List a project's files, newest first", Errors: errs,
	}, s.listProjectFiles)
	huma.Register(s.api, huma.Operation{
		OperationID: "list-task-files", Method: http.MethodGet, Path: base + "/tasks/{task_id}/files", Tags: tags,
		Security: security, Extensions: requires(domain.PermFilesRead), Summary: "List a task's attachments",
		Errors: errs,
	}, s.listTaskFiles)
	huma.Register(s.api, huma.Operation{
		OperationID: "upload-file", Method: http.MethodPost, Path: base + "/files", Tags: tags, Security: security,
		Extensions: requires(domain.PermFilesWrite), Summary: "Upload a file", DefaultStatus: http.StatusCreated,
		Description: "multipart/form-data with optional task_id and shared_with_client (true shows it in the " +
			"client's portal) fields before the file part; a part after the file is refused with 400. The type " +
			"is decided from the content: images, PDF, plain text/CSV and zip-based Office documents. SVG, HTML, " +
			"XML and other markup are refused.",
		Errors: append(errs, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType,
			http.StatusUnprocessableEntity),
	}, s.uploadFile)
	// Documented after registration: declaring it on the operation would make Huma buffer the body.
	s.api.OpenAPI().Paths[base+"/files"].Post.RequestBody = uploadRequestBody()
	huma.Register(s.api, huma.Operation{
		OperationID: "get-file-url", Method: http.MethodGet, Path: base + "/files/{file_id}/url", Tags: tags,
		Security: security, Extensions: requires(domain.PermFilesRead),
		Summary: "Get a signed download URL, valid for 5 minutes", Errors: errs,
	}, s.fileURL)
	huma.Register(s.api, huma.Operation{
		OperationID: "update-file", Method: http.MethodPatch, Path: base + "/files/{file_id}", Tags: tags,
		Security: security, Extensions: requires(domain.PermFilesWrite), Summary: "Share a file with the client, or stop",
		Description: "Uploaders change their own files; holders of files.delete (managers and up) any. Sharing " +
			"shows the file in the portal of the project's client and tells its contacts.",
		Errors: append(errs, http.StatusUnprocessableEntity),
	}, s.updateFile)
	huma.Register(s.api, huma.Operation{
		OperationID: "delete-file", Method: http.MethodDelete, Path: base + "/files/{file_id}", Tags: tags,
		Security: security, Extensions: requires(domain.PermFilesWrite), Summary: "Delete a file",
		Description: "Uploaders delete their own files; holders of files.delete (managers and up) may delete any. " +
			"The stored content is removed shortly after, in the background.",
		DefaultStatus: http.StatusNoContent, Errors: errs,
	}, s.deleteFile)
	s.registerFileDelivery()
}

func uploadRequestBody() *huma.RequestBody {
	return &huma.RequestBody{Required: true, Content: map[string]*huma.MediaType{
		"multipart/form-data": {Schema: &huma.Schema{Type: "object", Required: []string{"file"},
			Properties: map[string]*huma.Schema{
				"task_id": {Type: "string", Format: "uuid", Description: "Attach the file to this task."},
				"shared_with_client": {Type: "string", Enum: []any{"true", "false"},
					Description: "true shows the file in the portal of the project's client."},
				"file": {Type: "string", Format: "binary"},
			}}},
	}}
}

func (s *Server) listProjectFiles(ctx context.Context, in *ProjectPath) (*struct{ Body FileList }, error) {
	return s.listFiles(ctx, in.OrgID, in.ProjectID, "")
}

func (s *Server) listTaskFiles(ctx context.Context, in *TaskPath) (*struct{ Body FileList }, error) {
	return s.listFiles(ctx, in.OrgID, in.ProjectID, in.TaskID)
}

func (s *Server) listFiles(ctx context.Context, orgID, projectID, taskID string) (*struct{ Body FileList }, error) {
	fs, err := s.db.Files(ctx, orgID, viewerFrom(ctx), projectID, taskID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	out := FileList{Data: make([]File, len(fs))}
	for i, f := range fs {
		out.Data[i] = fileFrom(f)
	}
	return &struct{ Body FileList }{Body: out}, nil
}

// uploadFile streams the file part straight to storage: the first 512 bytes decide the type, the store
// enforces the size limit, and the row is written only after the bytes are safely stored.
func (s *Server) uploadFile(ctx context.Context, in *FileUploadInput) (*struct{ Body File }, error) {
	mediaType, params, err := mime.ParseMediaType(in.contentType)
	if err != nil || mediaType != "multipart/form-data" || params["boundary"] == "" {
		return nil, edgeProblem(ctx, http.StatusUnsupportedMediaType, "Send the file as multipart/form-data.")
	}
	max := s.filesMaxBytes()
	// The whole body may exceed the file by its headers and the task_id field, never by more.
	mr := multipart.NewReader(http.MaxBytesReader(nil, io.NopCloser(in.body), max+64<<10), params["boundary"])
	taskID, shared := "", false
	for {
		part, err := mr.NextPart()
		if err != nil {
			return nil, uploadReadProblem(ctx, err, max)
		}
		switch part.FormName() {
		case "task_id":
			b, _ := io.ReadAll(io.LimitReader(part, 100))
			taskID = string(bytes.TrimSpace(b))
		case "shared_with_client":
			b, _ := io.ReadAll(io.LimitReader(part, 100))
			switch string(bytes.TrimSpace(b)) {
			case "true":
				shared = true
			case "false", "":
				shared = false
			default:
				return nil, problem(ctx, domain.Invalid("body.shared_with_client", "must be true or false"))
			}
		case "file":
			f, err := s.storeUpload(ctx, in.OrgID, in.ProjectID, uploadTarget{taskID: taskID, shared: shared}, part, max, mr)
			if err != nil {
				return nil, err
			}
			return &struct{ Body File }{Body: fileFrom(f)}, nil
		}
	}
}

// errPartAfterFile refuses a form field sent after the file: the file is streamed to storage as it
// arrives, so a task_id behind it would be read too late and the file silently stored without its task.
var errPartAfterFile = errors.New("api: multipart part after the file")

// expectEnd reads what follows the file part and accepts only the end of the body.
func expectEnd(mr *multipart.Reader) error {
	_, err := mr.NextPart()
	if errors.Is(err, io.EOF) {
		return nil
	} else if err == nil {
		return errPartAfterFile
	}
	return err
}

func uploadReadProblem(ctx context.Context, err error, max int64) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return tooLargeProblem(ctx, max)
	}
	if errors.Is(err, errPartAfterFile) {
		return edgeProblem(ctx, http.StatusBadRequest, "Send the file as the last part, after task_id.")
	}
	if errors.Is(err, io.EOF) {
		return problem(ctx, domain.Invalid("body.file", "Add a file."))
	}
	return edgeProblem(ctx, http.StatusBadRequest, "The multipart body is malformed.")
}

// uploadTarget is what the form fields before the file part said about it.
type uploadTarget struct {
	taskID string
	shared bool
}

// putUpload stores an uploaded file part as f in orgID's file store: it checks the first 512 bytes against
// the allow-list, streams the whole part with the size limit, and checks nothing follows it; f gets its ID,
// name, type, storage key and size. On success the caller writes the row (and deletes the stored bytes with
// deleteStored when that fails). Errors are problems ready to return.
func (s *Server) putUpload(ctx context.Context, orgID string, f *domain.File, part *multipart.Part, max int64, mr *multipart.Reader) error {
	head := make([]byte, 512)
	n, err := io.ReadFull(part, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return uploadReadProblem(ctx, err, max)
	}
	head = head[:n]
	f.Name = domain.CleanFileName(part.FileName())
	kind, ok := detectFileKind(head, f.Name)
	if !ok {
		return edgeProblem(ctx, http.StatusUnsupportedMediaType,
			"This file type is not accepted. Upload images, PDF, text, CSV or Office documents.")
	}
	f.ID, f.ContentType = store.NewFileID(), kind.ContentType
	f.StorageKey = orgID + "/" + f.ID + "." + kind.Ext
	f.SizeBytes, err = s.Files.Put(ctx, f.StorageKey, kind.ContentType, io.MultiReader(bytes.NewReader(head), part), max)
	if errors.Is(err, filestore.ErrTooLarge) {
		return tooLargeProblem(ctx, max)
	}
	if err != nil {
		return uploadReadProblem(ctx, err, max)
	}
	if err := expectEnd(mr); err != nil {
		s.deleteStored(ctx, f.StorageKey)
		return uploadReadProblem(ctx, err, max)
	}
	return nil
}

func (s *Server) storeUpload(ctx context.Context, orgID, projectID string, target uploadTarget, part *multipart.Part, max int64, mr *multipart.Reader) (*domain.File, error) {
	v, taskID := viewerFrom(ctx), target.taskID
	if taskID != "" && !validUUID(taskID) {
		return nil, problem(ctx, domain.Invalid("body.task_id", "must be a task ID"))
	}
	if err := s.db.CheckFileTarget(ctx, orgID, v, projectID, taskID); err != nil {
		return nil, problem(ctx, err)
	}
	f := &domain.File{ProjectID: projectID, TaskID: taskID, SharedWithClient: target.shared}
	if err := s.putUpload(ctx, orgID, f, part, max, mr); err != nil {
		return nil, err
	}
	if err := s.db.CreateFile(ctx, orgID, v, f); err != nil {
		s.deleteStored(ctx, f.StorageKey)
		return nil, problem(ctx, err)
	}
	return f, nil
}

// deleteStored removes stored bytes whose row is gone or was never written; a failure only leaves an
// unreachable blob, so it is logged rather than returned.
func (s *Server) deleteStored(ctx context.Context, key string) {
	if err := s.Files.Delete(context.WithoutCancel(ctx), key); err != nil {
		s.logger.ErrorContext(ctx, "files: delete stored content", "key", key, "err", err)
	}
}

func (s *Server) filesMaxBytes() int64 {
	if s.cfg.FilesMaxBytes > 0 {
		return s.cfg.FilesMaxBytes
	}
	return defaultFilesMaxBytes
}

func (s *Server) updateFile(ctx context.Context, in *struct {
	FilePath
	Body FileUpdate
}) (*struct{ Body File }, error) {
	anyFile := principalFrom(ctx).can(domain.PermFilesDelete)
	f, err := s.db.SetFileShared(ctx, in.OrgID, viewerFrom(ctx), in.ProjectID, in.FileID, in.Body.SharedWithClient, anyFile)
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &struct{ Body File }{Body: fileFrom(f)}, nil
}

func (s *Server) deleteFile(ctx context.Context, in *FilePath) (*struct{}, error) {
	anyFile := principalFrom(ctx).can(domain.PermFilesDelete)
	if err := s.db.DeleteFile(ctx, in.OrgID, viewerFrom(ctx), in.ProjectID, in.FileID, anyFile); err != nil {
		return nil, problem(ctx, err)
	}
	s.startPurgeFiles(ctx, in.OrgID)
	return nil, nil
}

// purgeFilesIfQueued starts the organization's file purge after a delete that may have cascaded to files
// (a task or project), unless nothing is queued, so deletes without files start no workflow.
func (s *Server) purgeFilesIfQueued(ctx context.Context, orgID string) {
	queued, err := s.db.HasQueuedFilePurges(ctx, orgID)
	if err != nil {
		s.logger.ErrorContext(ctx, "files: check the purge queue", "org_id", orgID, "err", err)
		return
	}
	if queued {
		s.startPurgeFiles(ctx, orgID)
	}
}

// startPurgeFiles starts the organization's file purge through the workflow outbox, in a transaction of its
// own right after the delete's (whose stored keys are already safe in file_purges), so a Temporal outage
// delays the purge instead of leaving it for the next delete. A failure is logged, not returned: the delete
// has committed.
func (s *Server) startPurgeFiles(ctx context.Context, orgID string) {
	ws := domain.PurgeFilesStart(orgID)
	if err := s.db.Atomically(ctx, "", "", func(ctx context.Context) error { return s.db.EnqueueStarts(ctx, &ws) }); err != nil {
		s.logger.ErrorContext(ctx, "files: queue the purge", "org_id", orgID, "err", err)
		return
	}
	s.startNow(ctx, ws, func(ctx context.Context) error { return s.Workflows.StartPurgeFiles(ctx, orgID) })
}

// attachmentDisposition is a download's Content-Disposition (RFC 6266): an ASCII filename with anything
// that could end the value, split the header or name a path replaced by "_", and filename* (RFC 8187)
// carrying the full UTF-8 name for the clients that read it.
func attachmentDisposition(name string) string {
	name = domain.CleanFileName(name)
	ascii := strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || strings.ContainsRune(`"\/;%`, r) {
			return '_'
		}
		return r
	}, name)
	return `attachment; filename="` + ascii + `"; filename*=UTF-8''` + encodeExtValue(name)
}

// encodeExtValue percent-encodes every byte outside RFC 8187's attr-char set.
func encodeExtValue(s string) string {
	const attrChars = "!#$&+-.^_`|~"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte(attrChars, c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}
