from auditlog.registry import auditlog

from . import models as m

auditlog.register(m.Framework)
auditlog.register(m.MunicipalView)
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
auditlog.register(m.DecisionLetter)
