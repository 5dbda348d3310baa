package domain

import "fmt"

// Plan features: what a plan unlocks beyond its limits (plans.features). The server refuses a feature the
// organization's plan lacks with plan_feature_unavailable; downgrading keeps the data but stops the feature.
const (
	FeatureClientPortal   = "client_portal"
	FeatureTimeTracking   = "time_tracking"
	FeatureInvoices       = "invoices"
	FeatureCustomBranding = "custom_branding"
	FeatureAPIAccess      = "api_access"
)

// EPLANFEATURE refuses a request that needs a feature the organization's plan does not include.
const EPLANFEATURE = "plan_feature_unavailable"

// featureInfo names each gated feature for people and the cheapest plan that has it (the plans seeded in
// 20261127030000_plans; a test keeps the two in step).
var featureInfo = map[string]struct{ Label, PlanID, PlanName string }{
	FeatureClientPortal:   {"The client portal", "starter", "Starter"},
	FeatureTimeTracking:   {"Time tracking", "starter", "Starter"},
	FeatureInvoices:       {"Invoices", "professional", "Professional"},
	FeatureCustomBranding: {"Custom branding", "professional", "Professional"},
	FeatureAPIAccess:      {"API access", "professional", "Professional"},
}

// FeaturePlan returns the id of the cheapest plan that includes feature f ("" for an unknown feature).
func FeaturePlan(f string) string { return featureInfo[f].PlanID }

// FeatureGap details a plan_feature_unavailable error: the feature and the plan that has it.
type FeatureGap struct {
	Feature string
	Plan    string
}

// FeatureUnavailable returns the plan_feature_unavailable error for feature f.
func FeatureUnavailable(f string) *Error {
	info, ok := featureInfo[f]
	if !ok {
		info.Label, info.PlanName = f, "a higher"
	}
	return &Error{Code: EPLANFEATURE, Feature: &FeatureGap{Feature: f, Plan: info.PlanID},
		Message: fmt.Sprintf("%s is part of the %s plan; upgrade to use it.", info.Label, info.PlanName)}
}
