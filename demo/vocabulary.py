"""Names, places and phrases the demo programme is written with."""

SURNAMES = [
    ("王", "Wang"),
    ("李", "Li"),
    ("张", "Zhang"),
    ("刘", "Liu"),
    ("陈", "Chen"),
    ("杨", "Yang"),
    ("黄", "Huang"),
    ("赵", "Zhao"),
    ("吴", "Wu"),
    ("周", "Zhou"),
    ("徐", "Xu"),
    ("孙", "Sun"),
    ("马", "Ma"),
    ("朱", "Zhu"),
    ("胡", "Hu"),
    ("郭", "Guo"),
    ("何", "He"),
    ("高", "Gao"),
    ("林", "Lin"),
    ("罗", "Luo"),
]
GIVEN_F = [
    ("芳", "Fang"),
    ("娜", "Na"),
    ("敏", "Min"),
    ("静", "Jing"),
    ("丽", "Li"),
    ("艳", "Yan"),
    ("娟", "Juan"),
    ("秀英", "Xiuying"),
    ("婷", "Ting"),
    ("雪", "Xue"),
]
GIVEN_M = [
    ("伟", "Wei"),
    ("强", "Qiang"),
    ("磊", "Lei"),
    ("军", "Jun"),
    ("洋", "Yang"),
    ("勇", "Yong"),
    ("杰", "Jie"),
    ("涛", "Tao"),
    ("明", "Ming"),
    ("超", "Chao"),
]
# The demo trainer logins and the profile each is linked to: (partner, name, Chinese, sex).
DEMO_TRAINERS = {
    "zj-trainer": ("ZJ", "Zhang Wei", "张伟", "M"),
    "sc-trainer": ("SC", "Huang Lei", "黄磊", "M"),
}
ORGANISATIONS = [
    "Independent consultant",
    "Provincial productivity centre",
    "University business school",
    "Safety consultancy",
    "Federation staff",
]
VENUES = [
    "Federation training centre",
    "Industrial park conference hall",
    "Hotel meeting room",
    "Enterprise training room",
]
POSITIONS_MANAGER = ["Production manager", "HR manager", "Quality supervisor", "Deputy GM"]
POSITIONS_WORKER = ["Machine operator", "Team leader", "Warehouse worker", "Line worker"]
TOPICS = [
    "EIT set-up and meeting rules",
    "Suggestion scheme and rewards",
    "5S walk-through in the workshop",
    "Communication boards",
    "Waste and energy walk",
    "Near-miss reporting",
    "Reviewing project tracker",
]
FINDINGS = [
    "EIT meets every two weeks; minutes kept by the secretary.",
    "Suggestion box installed; 12 suggestions in the first month.",
    "5S started on two lines; storage area still crowded.",
    "Management support good; workers want faster feedback on suggestions.",
    "Energy data not yet collected monthly.",
]
ACTIONS = [
    "Post EIT minutes on the notice board",
    "Reply to every suggestion within a week",
    "Red-tag unused tools in the store",
    "Collect monthly energy readings",
    "Train line leaders on 5S audits",
    "Mark forklift walkways",
]
EMAIL_DOMAIN = "trainers.example.org"
# Days ago that held workshops taught by a demo trainer ended, most useful first: visits this
# week (12), an overdue one and one next month (70), next week (5), this week (30); 150 for a
# completed cohort.
DEMO_HELD_DAYS_AGO = [12, 70, 5, 30, 150]
