package activities

import (
	"context"
	"strconv"

	"go.temporal.io/sdk/temporal"

	"github.com/clientflow/clientflow/domain"
)

// MarkInvoiceOverdue moves the invoice from sent to overdue (a conditional update: a paid, voided or
// already overdue invoice is left alone, so a retry changes nothing) and reports whether it is overdue.
func (a *Activities) MarkInvoiceOverdue(ctx context.Context, orgID, invoiceID string) (bool, error) {
	inv, _, err := a.DB.MarkInvoiceOverdue(ctx, orgID, invoiceID)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return false, temporal.NewNonRetryableApplicationError("invoice not found", "NotFound", err)
	}
	if err != nil {
		return false, err
	}
	return inv.Status == domain.InvoiceOverdue, nil
}

// SendInvoiceOverdueEmails tells the organization's billing contacts (active owners and admins) that the
// invoice is overdue, and reminds the client when it has an address. Each email is keyed by invoice and
// recipient, so a retry sends only what is missing. Nothing is sent once the invoice is no longer overdue.
func (a *Activities) SendInvoiceOverdueEmails(ctx context.Context, in domain.InvoiceEmailInput) error {
	inv, orgName, err := a.overdueInvoice(ctx, in)
	if err != nil || inv == nil {
		return err
	}
	members, err := a.DB.Members(ctx, in.OrganizationID)
	if err != nil {
		return err
	}
	for _, m := range members {
		if m.Status != domain.MemberActive || (m.Role != domain.RoleOwner && m.Role != domain.RoleAdmin) {
			continue
		}
		data := domain.InvoiceEmailData(inv, orgName, in.PublicURL)
		data["Name"] = m.Name
		if err := a.SendTemplatedEmail(ctx, domain.EmailRequest{Key: "invoice-overdue/" + inv.ID + "/" + m.UserID,
			To: m.Email, Template: domain.EmailInvoiceOverdue, Data: data}); err != nil {
			return err
		}
	}
	return a.remindClient(ctx, inv, orgName, in)
}

// SendInvoiceReminder reminds the client on day in.Day after the due date, once per invoice and day; it
// reports whether the invoice was still overdue (false ends the workflow).
func (a *Activities) SendInvoiceReminder(ctx context.Context, in domain.InvoiceEmailInput) (bool, error) {
	inv, orgName, err := a.overdueInvoice(ctx, in)
	if err != nil || inv == nil {
		return false, err
	}
	return true, a.remindClient(ctx, inv, orgName, in)
}

// overdueInvoice loads the invoice and its organization's name; a nil invoice means it is no longer
// overdue (paid or voided meanwhile), so there is nothing to say.
func (a *Activities) overdueInvoice(ctx context.Context, in domain.InvoiceEmailInput) (*domain.Invoice, string, error) {
	inv, err := a.DB.InvoiceAsSystem(ctx, in.OrganizationID, in.InvoiceID)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return nil, "", temporal.NewNonRetryableApplicationError("invoice not found", "NotFound", err)
	}
	if err != nil || inv.Status != domain.InvoiceOverdue {
		return nil, "", err
	}
	org, err := a.DB.Organization(ctx, in.OrganizationID)
	if err != nil {
		return nil, "", err
	}
	return inv, org.Name, nil
}

func (a *Activities) remindClient(ctx context.Context, inv *domain.Invoice, orgName string, in domain.InvoiceEmailInput) error {
	if inv.ClientEmail == "" {
		return nil
	}
	return a.SendTemplatedEmail(ctx, domain.EmailRequest{Key: "invoice-reminder/" + inv.ID + "/" + strconv.Itoa(in.Day),
		To: inv.ClientEmail, BrandOrg: inv.OrganizationID, Template: domain.EmailInvoiceReminder, Data: domain.InvoiceEmailData(inv, orgName, in.PublicURL)})
}
