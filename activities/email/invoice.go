package email

// Invoice emails: the agency's invoices to its own clients (Data for all three: OrgName, ClientName,
// Number, Total, Balance, DueDate, InvoiceURL).
const (
	// TemplateInvoiceAvailable tells the client a new invoice is ready, with its link.
	TemplateInvoiceAvailable = "invoice_available"
	// TemplateInvoiceOverdue tells the organization's billing contacts an invoice passed its due date
	// (Data also: Name, the contact's name).
	TemplateInvoiceOverdue = "invoice_overdue"
	// TemplateInvoiceReminder reminds the client of an overdue invoice (Data as above).
	TemplateInvoiceReminder = "invoice_reminder"
)
