package api

import (
	"context"
	"io"
	"mime"
	"mime/multipart"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/clientflow/clientflow/domain"
)

// PortalAttachmentInput is a contact's multipart upload onto their own request, read as a stream like
// FileUploadInput.
type PortalAttachmentInput struct {
	PortalRequestPath
	body        io.Reader
	contentType string
}

// Resolve keeps the raw body and its content type for streaming.
func (in *PortalAttachmentInput) Resolve(ctx huma.Context) []error {
	in.body, in.contentType = ctx.BodyReader(), ctx.Header("Content-Type")
	return nil
}

// uploadPortalAttachment stores a file a contact attaches to their own request, under the usual upload
// rules (size limit, type decided from the content), shared with the client. The target is checked before
// any byte is stored, and again when the row is written.
func (s *Server) uploadPortalAttachment(ctx context.Context, in *PortalAttachmentInput) (*struct{ Body PortalFile }, error) {
	pv, err := portalViewer(ctx, in.PortalQuery)
	if err != nil {
		return nil, problem(ctx, err)
	}
	if _, err := s.db.CheckPortalAttachment(ctx, in.OrgID, pv, in.TaskID); err != nil {
		return nil, problem(ctx, err)
	}
	mediaType, params, err := mime.ParseMediaType(in.contentType)
	if err != nil || mediaType != "multipart/form-data" || params["boundary"] == "" {
		return nil, edgeProblem(ctx, http.StatusUnsupportedMediaType, "Send the file as multipart/form-data.")
	}
	max := s.filesMaxBytes()
	mr := multipart.NewReader(http.MaxBytesReader(nil, io.NopCloser(in.body), max+64<<10), params["boundary"])
	for {
		part, err := mr.NextPart()
		if err != nil {
			return nil, uploadReadProblem(ctx, err, max)
		}
		if part.FormName() != "file" {
			continue
		}
		f, err := s.storePortalAttachment(ctx, in.OrgID, pv, in.TaskID, part, max, mr)
		if err != nil {
			return nil, err
		}
		return &struct{ Body PortalFile }{Body: portalFileFrom(*f)}, nil
	}
}

func (s *Server) storePortalAttachment(ctx context.Context, orgID string, pv domain.PortalViewer, taskID string,
	part *multipart.Part, max int64, mr *multipart.Reader) (*domain.PortalFile, error) {
	f := &domain.File{TaskID: taskID}
	if err := s.putUpload(ctx, orgID, f, part, max, mr); err != nil {
		return nil, err
	}
	out, err := s.db.CreatePortalAttachment(ctx, orgID, pv, f)
	if err != nil {
		s.deleteStored(ctx, f.StorageKey)
		return nil, problem(ctx, err)
	}
	return out, nil
}
