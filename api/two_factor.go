package api

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"image/png"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/clientflow/clientflow/domain"
)

// TOTP parameters every authenticator app supports (RFC 6238 defaults).
const (
	totpPeriod      = 30
	totpSkew        = 1 // one step either side absorbs clock drift between phone and server
	backupCodeCount = 10
)

// TwoFactorSetup is a pending TOTP enrolment: show the QR code (or the secret for manual entry), then
// confirm with a code.
type TwoFactorSetup struct {
	Secret     string `json:"secret" doc:"Base32 secret for manual entry in an authenticator app."`
	OTPAuthURL string `json:"otpauth_url" doc:"otpauth:// URL the QR code encodes."`
	QRCode     string `json:"qr_code" doc:"The otpauth URL as a PNG data URL."`
}

// TwoFactorCodeRequest carries one authenticator code (or, where accepted, a backup code).
type TwoFactorCodeRequest struct {
	Code string `json:"code" minLength:"1" maxLength:"32"`
}

// BackupCodes are shown once; only hashes are kept.
type BackupCodes struct {
	BackupCodes []string `json:"backup_codes"`
}

func (s *Server) registerTwoFactor() {
	op := func(id, path, summary string, status int) huma.Operation {
		return huma.Operation{OperationID: id, Method: http.MethodPost, Path: path, Tags: []string{"Account"},
			Summary: summary, Security: security, DefaultStatus: status,
			Errors: []int{http.StatusUnauthorized, http.StatusConflict, http.StatusUnprocessableEntity}}
	}
	huma.Register(s.api, op("setup-two-factor", "/api/v1/me/2fa/setup",
		"Start two-factor enrolment (a new pending secret)", http.StatusOK), s.setupTwoFactor)
	huma.Register(s.api, op("enable-two-factor", "/api/v1/me/2fa/enable",
		"Confirm enrolment with a code; returns the backup codes once", http.StatusOK), s.enableTwoFactor)
	huma.Register(s.api, op("disable-two-factor", "/api/v1/me/2fa/disable",
		"Turn two-factor sign-in off (authenticator or backup code)", http.StatusNoContent), s.disableTwoFactor)
	huma.Register(s.api, op("regenerate-backup-codes", "/api/v1/me/2fa/backup-codes",
		"Replace the backup codes (authenticator or backup code)", http.StatusOK), s.regenerateBackupCodes)
}

func (s *Server) setupTwoFactor(ctx context.Context, _ *struct{}) (*struct{ Body TwoFactorSetup }, error) {
	u := principalFrom(ctx).User
	if u.TOTPEnabledAt != nil {
		return nil, problem(ctx, domain.Errorf(domain.ECONFLICT, "Two-factor sign-in is already on."))
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: "ClientFlow", AccountName: u.Email, Period: totpPeriod})
	if err != nil {
		return nil, problem(ctx, err)
	}
	qr, err := qrDataURL(key)
	if err != nil {
		return nil, problem(ctx, err)
	}
	sealed, err := s.sealSecret(key.Secret())
	if err != nil {
		return nil, problem(ctx, err)
	}
	if err := s.db.SetPendingTOTP(ctx, u.ID, sealed); err != nil {
		return nil, problem(ctx, err)
	}
	return &struct{ Body TwoFactorSetup }{Body: TwoFactorSetup{Secret: key.Secret(), OTPAuthURL: key.URL(), QRCode: qr}}, nil
}

func (s *Server) enableTwoFactor(ctx context.Context, in *struct{ Body TwoFactorCodeRequest }) (*struct{ Body BackupCodes }, error) {
	u := principalFrom(ctx).User
	if u.TOTPEnabledAt != nil || u.TOTPPendingSecret == nil {
		return nil, problem(ctx, domain.Errorf(domain.ECONFLICT, "Two-factor sign-in is already on, or setup was not started."))
	}
	secret, err := s.openSecret(u.TOTPPendingSecret)
	if err != nil {
		return nil, problem(ctx, err)
	}
	step, ok := matchTOTP(secret, in.Body.Code, time.Now())
	if !ok {
		return nil, problem(ctx, domain.Invalid("body.code", "is incorrect"))
	}
	codes, hashes := s.newBackupCodes()
	if err := s.db.EnableTOTP(ctx, u.ID, step, hashes); err != nil {
		return nil, problem(ctx, err)
	}
	return &struct{ Body BackupCodes }{Body: BackupCodes{BackupCodes: codes}}, nil
}

func (s *Server) disableTwoFactor(ctx context.Context, in *struct{ Body TwoFactorCodeRequest }) (*struct{}, error) {
	u, err := s.requireSecondFactor(ctx, in.Body.Code)
	if err != nil {
		return nil, err
	}
	if err := s.db.DisableTOTP(ctx, u.ID); err != nil {
		return nil, problem(ctx, err)
	}
	return &struct{}{}, nil
}

func (s *Server) regenerateBackupCodes(ctx context.Context, in *struct{ Body TwoFactorCodeRequest }) (*struct{ Body BackupCodes }, error) {
	u, err := s.requireSecondFactor(ctx, in.Body.Code)
	if err != nil {
		return nil, err
	}
	codes, hashes := s.newBackupCodes()
	if err := s.db.ReplaceBackupCodes(ctx, u.ID, hashes); err != nil {
		return nil, problem(ctx, err)
	}
	return &struct{ Body BackupCodes }{Body: BackupCodes{BackupCodes: codes}}, nil
}

// requireSecondFactor checks that the signed-in user has two-factor on and that code is theirs.
func (s *Server) requireSecondFactor(ctx context.Context, code string) (*domain.User, error) {
	u := principalFrom(ctx).User
	if u.TOTPEnabledAt == nil {
		return nil, problem(ctx, domain.Errorf(domain.ECONFLICT, "Two-factor sign-in is off."))
	}
	ok, err := s.checkSecondFactor(ctx, u, code)
	if err != nil {
		return nil, problem(ctx, err)
	}
	if !ok {
		return nil, problem(ctx, domain.Invalid("body.code", "is incorrect or already used"))
	}
	return u, nil
}

// checkSecondFactor accepts a TOTP code of a step not used before, or an unused backup code, and spends it.
func (s *Server) checkSecondFactor(ctx context.Context, u *domain.User, code string) (bool, error) {
	if u.TOTPSecret == nil {
		return false, nil
	}
	secret, err := s.openSecret(u.TOTPSecret)
	if err != nil {
		return false, err
	}
	if step, ok := matchTOTP(secret, code, time.Now()); ok {
		return s.db.UseTOTPStep(ctx, u.ID, step)
	}
	normalized := normalizeBackupCode(code)
	if len(normalized) != 10 {
		return false, nil
	}
	return s.db.UseBackupCode(ctx, u.ID, s.tokenHash("backup-code:"+normalized))
}

// matchTOTP returns the time step whose code equals code, trying one step either side of now.
func matchTOTP(secret, code string, now time.Time) (int64, bool) {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if len(code) != 6 {
		return 0, false
	}
	current := now.Unix() / totpPeriod
	for step := current - totpSkew; step <= current+totpSkew; step++ {
		want, err := totp.GenerateCodeCustom(secret, time.Unix(step*totpPeriod, 0), totp.ValidateOpts{
			Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return step, true
		}
	}
	return 0, false
}

// newBackupCodes returns ten fresh codes formatted "XXXXX-XXXXX" (50 random bits each) and their hashes.
func (s *Server) newBackupCodes() ([]string, [][]byte) {
	codes, hashes := make([]string, backupCodeCount), make([][]byte, backupCodeCount)
	for i := range codes {
		raw := rand.Text()[:10]
		codes[i] = raw[:5] + "-" + raw[5:]
		hashes[i] = s.tokenHash("backup-code:" + raw)
	}
	return codes, hashes
}

// normalizeBackupCode forgives case, spaces and the dash people copy or leave out.
func normalizeBackupCode(code string) string {
	return strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(strings.TrimSpace(code)))
}

func qrDataURL(key *otp.Key) (string, error) {
	img, err := key.Image(240, 240)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return "", err
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes()), nil
}

// totpCipher is AES-256-GCM under a key derived from SESSION_SECRET, so a database dump alone never
// yields the secrets that mint codes.
func (s *Server) totpCipher() (cipher.AEAD, error) {
	key, err := hkdf.Key(sha256.New, []byte(s.cfg.SessionSecret), nil, "clientflow totp secret v1", 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// sealSecret encrypts a TOTP secret as nonce || ciphertext.
func (s *Server) sealSecret(secret string) ([]byte, error) {
	aead, err := s.totpCipher()
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return aead.Seal(nonce, nonce, []byte(secret), nil), nil
}

// openSecret decrypts what sealSecret produced.
func (s *Server) openSecret(sealed []byte) (string, error) {
	aead, err := s.totpCipher()
	if err != nil {
		return "", err
	}
	if len(sealed) < aead.NonceSize() {
		return "", errors.New("two-factor secret: sealed value too short")
	}
	plain, err := aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], nil)
	return string(plain), err
}
