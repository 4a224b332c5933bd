from auditlog.registry import auditlog

from . import models as m

auditlog.register(m.Framework)
auditlog.register(m.MunicipalView, m2m_fields={"themes"})
auditlog.register(m.Strategy, m2m_fields={"care_forms"})
auditlog.register(m.Tender)
auditlog.register(m.Lot)
auditlog.register(m.Milestone)
auditlog.register(m.TenderDocument)
auditlog.register(m.Requirement)
auditlog.register(m.AwardCriterion)
auditlog.register(m.AdmissionCondition)
auditlog.register(m.AdmissionWindow)
auditlog.register(m.Question)
auditlog.register(m.Submission, m2m_fields={"care_forms"})
auditlog.register(m.EligibilityCheck)
auditlog.register(m.DocumentRequest)
auditlog.register(m.SubmissionFile)
auditlog.register(m.Score)
auditlog.register(m.ConsensusScore)
auditlog.register(m.NegotiationOutcome)
auditlog.register(m.NegotiatedBudget)
auditlog.register(m.NegotiatedAssignment)
# issue 21: themes, the decision to adopt without every view, market consultations
auditlog.register(m.Theme)
auditlog.register(m.AdoptionDecision, m2m_fields={"missing_municipalities"})
auditlog.register(m.MarketConsultation, m2m_fields={"providers", "themes"})
