"""Demo data for `manage.py load_demo`: every fact of the office's published 2021 report.

The seed is the office's 2021 rule-of-law report as published on the city's disclosure site;
its text is kept in `seed_2021_report.txt` (from "2021年,在办党组的领导下" to "(此件公开发布)")
so the portal never reads anything outside the repository. `data.py` holds the facts as plain
Python, `loader.py` writes them with natural keys (running it twice changes nothing).

Conventions the report generator relies on
- Work without a richer record type is a `lawbuilding.WorkRecord` of year 2021 whose `theme`
  is the `ReportTheme` of the report section it appears in, its `narrative` the sentence(s)
  of the seed, `order` the order within the section.
- Figures are `WorkQuantity` rows with these stable keys:
  record "来常境外人员转运工作" (theme risk):
    transfer_batches       20 批   batches sent to 昆山 for the transfer of inbound travellers
    transfer_person_times  80 人次 staff person-times sent on those batches
    duty_person_times      15 人次 person-times on duty (值班值守)
    people_transferred     3000 人, is_lower_bound (3000余人)
    complaints / infections / accidents   0 件 / 0 例 / 0 起 (零投诉、零感染、零事故)
  record "在常外籍人士和港澳人士接种新冠疫苗" (theme risk):
    vaccinated             2000 人, approximate: the seed says 近2000人 (nearly), which the
                           model cannot flag; the narrative keeps the exact wording.
- Study sessions (trainings.StudySession) carry section 五 and the 4 center-group sessions of
  section 一; institutional documents, leading groups, the legal-adviser engagement, the
  proposals, the honorary-citizen notice and the 2022 plan have their own models.

What is invented (the seed does not say it)
- Records marked `is_demo=True`: the two lawyers besides 时轶, the member in charge (王五) and
  the liaison (赵六) of the 依法行政工作领导小组, the proposals' dates, proposers and result
  classes, the 18th-batch notice and its 7 nominees (placeholder names such as Max
  Mustermann, clearly fictional), the delegations, the integrity supervisors (张三, 李四) and
  one legal review service.
- Exact dates of real events (study sessions, group adjustments, the adviser contract period)
  are plausible dates inside 2021; the seed only gives the year.
"""
