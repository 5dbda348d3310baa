package api

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store/filestore"
)

// fileURLLifetime is how long a download link works.
const fileURLLifetime = 5 * time.Minute

// FileDownloadInput is a signed download link's parameters.
type FileDownloadInput struct {
	FileID string `path:"file_id" doc:"File ID."`
	Org    string `query:"org" doc:"Organization the link was signed for."`
	Exp    int64  `query:"exp" minimum:"0" maximum:"253402300799" doc:"Expiry, Unix seconds."`
	Sig    string `query:"sig" doc:"HMAC-SHA256 signature of org, file and exp."`
}

func (s *Server) registerFileDelivery() {
	huma.Register(s.api, huma.Operation{
		OperationID: "download-file", Method: http.MethodGet, Path: "/api/v1/files/{file_id}", Tags: []string{"Files"},
		Summary:     "Download a file through a signed URL",
		Description: "Needs no session: the signature from get-file-url is the permission, for 5 minutes.",
		Errors:      []int{http.StatusForbidden, http.StatusNotFound},
		Responses: map[string]*huma.Response{"200": {Description: "The file, as an attachment.",
			Content: map[string]*huma.MediaType{"application/octet-stream": {Schema: &huma.Schema{Type: "string", Format: "binary"}}}}},
	}, s.downloadFile)
}

// signFile is the signature over the organization, the file and the expiry, under SESSION_SECRET.
func (s *Server) signFile(orgID, fileID string, exp int64) string {
	m := hmac.New(sha256.New, []byte(s.cfg.SessionSecret))
	fmt.Fprintf(m, "file-download\n%s\n%s\n%d", orgID, fileID, exp)
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func (s *Server) fileURL(ctx context.Context, in *FilePath) (*struct{ Body FileURL }, error) {
	f, err := s.db.File(ctx, in.OrgID, viewerFrom(ctx), in.ProjectID, in.FileID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	u, err := s.signedFileURL(ctx, in.OrgID, f)
	if err != nil {
		return nil, problem(ctx, err)
	}
	return &struct{ Body FileURL }{Body: u}, nil
}

// signedFileURL is a short-lived download link for f, a file of orgID the caller was allowed to read: the
// file store's own signed URL when it has one, else the API's signed /api/v1/files link.
func (s *Server) signedFileURL(ctx context.Context, orgID string, f *domain.File) (FileURL, error) {
	expires := time.Now().Add(fileURLLifetime).Truncate(time.Second).UTC()
	if signer, ok := s.Files.(filestore.URLSigner); ok {
		u, err := signer.SignedURL(ctx, f.StorageKey, expires)
		return FileURL{URL: u, ExpiresAt: expires}, err
	}
	q := url.Values{"org": {orgID}, "exp": {strconv.FormatInt(expires.Unix(), 10)},
		"sig": {s.signFile(orgID, f.ID, expires.Unix())}}
	return FileURL{URL: "/api/v1/files/" + f.ID + "?" + q.Encode(), ExpiresAt: expires}, nil
}

// downloadFile serves the bytes only for a valid, unexpired signature, and only a file of the signed
// organization: the tenant is taken from the signed link, so a link can never reach another tenant's file.
func (s *Server) downloadFile(ctx context.Context, in *FileDownloadInput) (*huma.StreamResponse, error) {
	want := s.signFile(in.Org, in.FileID, in.Exp)
	if !hmac.Equal([]byte(want), []byte(in.Sig)) {
		return nil, problem(ctx, domain.Errorf(domain.EFORBIDDEN, "This download link is invalid."))
	}
	if time.Now().Unix() > in.Exp {
		return nil, problem(ctx, domain.Errorf(domain.EFORBIDDEN, "This download link has expired."))
	}
	if !validUUID(in.Org) || !validUUID(in.FileID) {
		return nil, problem(ctx, domain.Errorf(domain.ENOTFOUND, "File not found."))
	}
	f, err := s.db.FileForDelivery(ctx, in.Org, in.FileID)
	if err != nil {
		return nil, problem(ctx, err)
	}
	body, err := s.Files.Open(ctx, f.StorageKey)
	if errors.Is(err, filestore.ErrNotFound) {
		return nil, problem(ctx, domain.Errorf(domain.ENOTFOUND, "File not found."))
	} else if err != nil {
		return nil, problem(ctx, err)
	}
	return &huma.StreamResponse{Body: func(hc huma.Context) {
		defer body.Close()
		hc.SetHeader("Content-Type", f.ContentType)
		hc.SetHeader("Content-Length", strconv.FormatInt(f.SizeBytes, 10))
		hc.SetHeader("Content-Disposition", attachmentDisposition(f.Name))
		hc.SetHeader("X-Content-Type-Options", "nosniff")
		hc.SetHeader("Cache-Control", "private, no-store")
		hc.SetStatus(http.StatusOK)
		if _, err := io.Copy(hc.BodyWriter(), body); err != nil {
			s.logger.WarnContext(ctx, "files: download interrupted", "file", f.ID, "err", err)
		}
	}}, nil
}

// edgeProblem is a problem for statuses only the HTTP edge produces (415, 400).
func edgeProblem(ctx context.Context, status int, detail string) error {
	p := newProblem(status, detail).(*ErrorModel)
	p.Instance = requestIDFrom(ctx)
	return p
}

// tooLargeProblem names the upload limit (newProblem's 413 text is about JSON bodies).
func tooLargeProblem(ctx context.Context, max int64) error {
	p := newProblem(http.StatusRequestEntityTooLarge, "").(*ErrorModel)
	p.Detail = fmt.Sprintf("The file is larger than the limit of %d MiB.", max>>20)
	p.Instance = requestIDFrom(ctx)
	return p
}
