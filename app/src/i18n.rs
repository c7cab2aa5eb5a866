//! Every visible string, in zh-CN and English. The macro makes a missing
//! translation a compile error rather than a blank on screen.

use crate::format::{MoneyStyle, currency_symbol, format_amount, format_money};
use guanxi_core::model::{
    ApprovalLevel, AuditAction, AuditEntry, AuditKind, Cents, ContractStatus, Locale,
    PaymentMethod, QuoteStatus, Role,
};
use guanxi_core::{Error, Field, Problem};
use leptos::prelude::*;

macro_rules! messages {
    ($($key:ident => $zh:literal, $en:literal;)*) => {
        /// A UI text; `Msg::X.text(locale)` gives it in a language.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Msg { $($key),* }

        impl Msg {
            pub fn text(self, locale: Locale) -> &'static str {
                match locale {
                    Locale::ZhCn => match self { $(Msg::$key => $zh),* },
                    Locale::En => match self { $(Msg::$key => $en),* },
                }
            }
        }
    };
}

messages! {
    AppName => "关系 CRM", "Guanxi CRM";
    Loading => "加载中…", "Loading…";
    Save => "保存", "Save";
    Saving => "正在保存…", "Saving…";
    Saved => "已保存", "Saved";
    Cancel => "取消", "Cancel";
    Edit => "编辑", "Edit";
    Create => "创建", "Create";
    Close => "关闭", "Close";
    Yes => "是", "Yes";
    No => "否", "No";
    Never => "从未", "Never";
    Menu => "菜单", "Menu";
    Language => "语言", "Language";
    LanguageFollowBrowser => "跟随浏览器", "Follow the browser";

    NavHome => "工作台", "Workbench";
    NavReports => "销售分析", "Sales analytics";
    ActivityReportTitle => "跟进统计", "Activity";
    ActivityReportIntro => "每位销售和团队的跟进：电话、通话分钟、拜访和消息，按日、周或月，对比上期和去年同期；明显偏离近期趋势的周标为红色。", "Activities per rep and team: calls, call minutes, visits and messages by day, week or month, against the previous period and last year; weeks far off their trend are flagged in red.";
    NavActivityReport => "跟进统计", "Activity";
    MetricCalls => "电话", "Calls";
    MetricCallMinutes => "通话分钟", "Call minutes";
    MetricVisits => "拜访", "Visits";
    MetricMessages => "消息", "Messages";
    MetricOther => "其他", "Other";
    VsPreviousPeriod => "较上期", "vs the previous period";
    Everyone => "全体", "Everyone";
    AnomalyReason => "{who}：{week} 这周{metric} {value}，通常 {low}–{high}", "{who}: {metric} in the week of {week} {value}; usual {low}–{high}";
    ActivityByKindTitle => "按类型的跟进", "Activities by kind";
    ActivityByKindCaption => "每个时段的电话、拜访、消息和其他跟进（会面、笔记）叠加；点击条形查看该时段。", "Calls, visits, messages and other activities (meetings, notes) stacked per slot; click a bar for that slot.";
    ActivityTrendTitle => "与去年同期相比", "Against last year";
    ActivityTrendCaption => "本期跟进 {now} 次，去年同期 {then} 次（虚线）。", "{now} activities this period, {then} in the same days last year (dashed).";
    ActivityByRepTitle => "按销售", "By rep";
    ActivityByRepCaption => "本期每位销售的跟进，按类型叠加；点击查看其个人统计。", "Each rep's activities this period, stacked by kind; click for their own dashboard.";
    SeriesThisPeriod => "本期", "This period";
    SeriesLastYear => "去年同期", "Last year";
    ReportPeriodColumn => "时段", "From";
    AnomaliesTitle => "异常提醒", "Unusual weeks";
    AnomaliesCaption => "上一整周的数字偏离此前 12 周中位数超过三个稳健标准差（中位数绝对偏差）时列出。", "Last full week's figures more than three robust standard deviations (median absolute deviation) from the median of the 12 weeks before.";
    AnomaliesNone => "上周一切如常。", "Nothing unusual last week.";
    Grain => "按", "By";
    GrainDay => "日", "Day";
    GrainWeek => "周", "Week";
    GrainMonth => "月", "Month";

    NavCustomerReport => "客户分析", "Customer analytics";
    CustomerReportTitle => "客户分析", "Customer analytics";
    NavRevenueReport => "营收分析", "Revenue";
    ProductAnalysisTab => "产品毛利", "Product margin";
    PercentagePoints => "{n} 个百分点", "{n} pts";
    DeliveredRevenue => "出库收入", "Delivered revenue";
    DeliveredCost => "出库成本", "Cost";
    MarginRate => "毛利率", "Margin rate";
    PreviousMarginRate => "上期毛利率", "Margin rate before";
    MarginRateChange => "毛利率变化", "Change";
    NoCategory => "未分类", "No category";
    ProductAnalysisCaption => "{from} 至 {to} 出库交付的产品：数量、对应合同行的不含税收入、按{method}计算的成本和毛利；毛利率与上期（{pfrom} 至 {pto}）对比。不分销售和团队。", "Products delivered {from} to {to}: quantity, the contract lines' net for it, cost by {method} and gross margin; margin rates against the period before ({pfrom} to {pto}). Company-wide, not by rep or team.";
    CostMethodFifo => "先进先出", "FIFO";
    CostMethodAverage => "加权平均", "weighted average";
    ProductHover => "{name}：收入 {revenue}，成本 {cost}，毛利 {margin}（{rate}）", "{name}: revenue {revenue}, cost {cost}, margin {margin} ({rate})";
    ProductMarginTitle => "各产品成本与毛利", "Cost and margin by product";
    ProductMarginCaption => "每根条为出库收入，分为成本和毛利；前 12 个产品，表中列出全部。", "Each bar is the delivered revenue split into cost and margin; the first 12 products, all of them in the table.";
    CategoryMarginTitle => "各类别成本与毛利", "Cost and margin by category";
    CategoryMarginCaption => "按产品类别汇总。", "Products added up by their category.";
    FallingMarginsTitle => "毛利率下降最多", "Margin rates that fell most";
    FallingMarginsCaption => "与上期相比毛利率降幅最大的产品。", "The products whose margin rate fell most against the period before.";
    FallingMargin => "{name}：{before} → {now}（{change}）", "{name}: {before} → {now} ({change})";
    NoFallingMargins => "没有产品的毛利率下降。", "No product's margin rate fell.";
    NoDeliveriesInPeriod => "本期没有出库交付。", "Nothing was delivered in this period.";
    OthersRow => "其余合计", "All others";
    ContractsSignedBetween => "{from} 至 {to} 签约的合同", "Contracts signed {from} to {to}";
    ContractsOfOneOwner => "所选销售参与的", "with the chosen rep among their owners";
    RevenueReportTitle => "营收分析", "Revenue analytics";
    RevenueReportIntro => "签约额、回款、费用和订单数，对比上期（环比）和去年同期（同比），按销售（按业绩分成）、团队、地区、客户类型和产品分解，以及应收趋势和回款率。", "Signed revenue, payments received, expenses and orders against the previous period and the same period last year, broken down by rep (by credit split), team, region, customer type and product, with the receivables trend and collection rate.";
    MetricChoice => "看", "Show";
    MetricRevenue => "签约额", "Revenue";
    MetricReceived => "回款", "Payments received";
    MetricExpenses => "费用", "Expenses";
    MetricOrders => "订单数", "Orders";
    MoneyPeriodsCaption => "本期 {now}；上期 {previous}；去年同期 {year}。签约额按签约日期（含税），回款按到账日期，费用按发生日期。", "This period {now}; previous {previous}; last year {year}. Revenue by sign date (with tax), payments by the day received, expenses by their date.";
    LastYearOf => "去年同期{what}", "{what} last year";
    MoneyUnusual => "{what} {value}，明显偏离前 12 个月的通常范围 {low}–{high}", "{what} {value}, far off the usual {low}–{high} of the 12 months before";
    MoneyTrendHover => "{period}：{value}（同比 {yoy}，环比 {mom}）", "{period}: {value} (year on year {yoy}, on the period before {mom})";
    MoneyTrendTitle => "趋势与同比", "Trend against last year";
    MoneyTrendCaption => "每个时段的金额，虚线为去年同期；点击查看该时段的记录。", "Each period's amount, last year's dashed; click a point for that period's records.";
    SamePeriodLastYear => "去年同期", "Same period last year";
    YearOnYear => "同比", "Year on year";
    PeriodBefore => "上期", "Period before";
    PeriodOnPeriod => "环比", "On the period before";
    MoneyInOutTitle => "签约、回款与费用", "Signed, received and spent";
    MoneyInOutCaption => "每个时段的签约额、回款和费用并列；表中另有订单数。", "Revenue, payments received and expenses side by side per period; the table adds the order count.";
    MoneyByRepTitle => "按销售", "By rep";
    MoneyByRepCaption => "按合同的业绩分成计入：70/30 分成的合同分别计 70% 和 30%。", "Credited by each contract's split: a contract split 70/30 counts 70 % and 30 %.";
    ExpensesByRepCaption => "按花费人统计。", "By who spent it.";
    MoneyByTeamTitle => "按团队", "By team";
    MoneyByTeamCaption => "按销售所在团队汇总其分成。", "Each rep's credit under their team.";
    MoneyByRegionTitle => "按地区", "By region";
    MoneyByRegionCaption => "按客户当前所在地区。", "By the customer's region now.";
    NoRegion => "未填地区", "No region";
    MoneyByTypeTitle => "按客户类型", "By customer type";
    MoneyByTypeCaption => "按客户当前的类型。", "By the customer's type now.";
    NoCustomer => "无客户", "No customer";
    MoneyByProductTitle => "按产品", "By product";
    MoneyByProductCaption => "本期签约合同各行的不含税金额，按产品汇总。", "The net (before tax) of the lines of contracts signed in the period, by product.";
    FreeTextLines => "非产品行", "Free-text lines";
    MoneyByCategoryTitle => "按费用类别", "By category";
    MoneyByCategoryCaption => "本期各类费用；点击查看明细。", "The period's expenses by category; click for the list.";
    TopCustomersTitle => "前十客户", "Top customers";
    TopCustomersCaption => "本期金额最多的十位客户及其占比。", "The ten customers with the most in the period, with their share.";
    BreakdownName => "名称", "Name";
    ShareColumn => "占比", "Share";
    RecordsColumn => "笔数", "Records";
    NothingInPeriod => "本期没有记录。", "Nothing in this period.";
    MoneyDue => "应收（到期）", "Falling due";
    CollectionHover => "{month}：到期 {due}，回款 {received}，回款率 {rate}；月末应收未收 {owed}", "{month}: due {due}, received {received}, collection rate {rate}; owed at month end {owed}";
    CollectionTitle => "应收趋势与回款率", "Receivables and collection rate";
    CollectionCaption => "每月到期的分期款与实际回款；回款率 = 回款 ÷ 到期；月末应收未收 = 截至月末的到期总额减回款总额。", "Installments falling due each month against payments received; collection rate = received ÷ due; owed at month end = everything due by then less everything received.";
    CollectionRate => "回款率", "Collection rate";
    OwedAtMonthEnd => "月末应收未收", "Owed at month end";
    CustomerReportIntro => "新客户、客户转化率、成交周期、每单跟进次数和首单金额，对比上期和去年同期；每月新增客户的类型和每年客户群组的现状。点击任何数字查看背后的客户。", "New customers, conversion, sales cycle, follow-ups per won deal and first-deal value against the previous period and last year; customers created per month by type and each year's cohort as it stands now. Click any figure for the customers behind it.";
    VsLastYear => "较去年同期", "vs last year";
    DaysValue => "{n} 天", "{n} days";
    KpiConversionRate => "客户转化率", "Conversion rate";
    KpiConversionHover => "本期新客户 {new} 位，其中已有赢单的 {converted} 位", "{converted} of the {new} customers created in the period have won a deal since";
    KpiSalesCycle => "平均成交周期", "Average sales cycle";
    KpiSalesCycleHover => "本期赢单的 {count} 个商机从创建到赢单的平均天数", "Average days from creation to win of the {count} deals won in the period";
    KpiFollowUps => "每单跟进次数", "Follow-ups per won deal";
    KpiFollowUpsHover => "本期赢单的 {deals} 个商机，从创建到赢单期间对其客户的跟进共 {count} 次", "{count} activities on the customers of the {deals} deals won in the period, from each deal's creation to its win";
    KpiFirstDeal => "首单金额", "First-deal value";
    KpiFirstDealHover => "本期首次赢单的 {count} 位客户，首单的平均金额", "The average first won deal of the {count} customers who first won in the period";
    KpiPeriodsCaption => "本期 {now}；上期 {previous}；去年同期 {year}。客户按当前负责人统计，商机按其负责人统计。", "This period {now}; previous {previous}; last year {year}. Customers count by their owner now, deals by their owners.";
    TypeOther => "其他类型", "Other types";
    CreatedByTypeTitle => "每月新增客户（按类型）", "New customers per month by type";
    CreatedByTypeCaption => "每月新建的客户，按其当前类型叠加；点击条形查看这些客户。", "Customers created each month, stacked by the type they have now; click a bar for those customers.";
    TypesNowTitle => "客户类型现状", "Customers by type now";
    TypesNowCaption => "所有客户按当前类型；点击条形查看该类型的客户。", "Every customer by the type they have now; click a bar for them.";
    CohortTitle => "客户群组（按创建年份）", "Cohorts by year created";
    CohortCaption => "每年新建的客户现在各是什么类型（颜色越深，占当年客户的比例越高），已赢单的客户数，以及从创建到首次赢单的平均天数。点击数字查看这些客户。", "The customers created in each year by the type they have now (the darker, the larger their share of that year's customers), how many have won a deal, and the average days from creation to their first win. Click a number for those customers.";
    CohortYear => "创建年份", "Year created";
    CohortCustomers => "客户数", "Customers";
    CohortWon => "已赢单", "Won a deal";
    CohortDaysToWin => "首单平均天数", "Days to first win";
    CohortCellHover => "{year} 年新建、现为「{type}」的客户：{count} 位（{share}）", "Created in {year}, {type} now: {count} ({share})";
    HeatLow => "占比低", "Smaller share";
    HeatHigh => "占比高", "Larger share";
    CreatedFrom => "创建日期从", "Created from";
    CreatedTo => "创建日期至", "Created to";

    PipelineReportTitle => "漏斗与预测", "Funnel and forecast";
    PipelineReportIntro => "在谈商机按阶段的分布、与过去某天相比的变化、未来六个月的成交预测和阶段转化。点击任何条形查看背后的商机。", "Open deals by stage, how they changed since a past date, the forecast for six months and stage-to-stage conversion. Click any bar for the deals behind it.";
    Period => "期间", "Period";
    PeriodMonth => "本月", "This month";
    PeriodQuarter => "本季度", "This quarter";
    PeriodHalf => "本半年", "This half-year";
    PeriodYear => "本年", "This year";
    PeriodCustom => "自定义", "Custom range";
    PeriodFrom => "从", "From";
    PeriodTo => "至", "To";
    ReportRep => "销售", "Rep";
    CompareWith => "对比日期", "Compare with";
    ShowData => "查看数据", "Show data";
    DownloadCsv => "下载 CSV", "Download CSV";
    ReportDeals => "商机数", "Deals";
    ReportWeighted => "加权金额", "Weighted";
    ReportMonth => "月份", "Month";
    ReportConversion => "转化率", "Conversion";
    ReportAverageDays => "平均停留天数", "Average days";
    ReportExits => "样本", "Exits";
    ReportReached => "到达", "Reached";
    ReportCompetitor => "竞争对手", "Competitor";
    ReportPriceDifference => "平均价差", "Average price difference";
    KpiOpenPipeline => "在谈金额", "Open pipeline";
    KpiWonInPeriod => "本期赢单（{count} 个）", "Won in period ({count})";
    KpiWinRate => "赢单率", "Win rate";
    FunnelTitle => "销售漏斗", "Sales funnel";
    FunnelCaption => "各阶段在谈商机的数量和金额，条形宽度按金额。点击阶段查看这些商机。", "Open deals in each stage, count and amount; bar width follows the amount. Click a stage for its deals.";
    FunnelMarkTitle => "{stage}：{count} 个商机，{amount}，加权 {weighted}", "{stage}: {count} deals, {amount}, weighted {weighted}";
    FunnelChangeTitle => "与 {date} 相比", "Compared with {date}";
    FunnelChangeCaption => "每个阶段现在和当天的商机数，由阶段历史还原（金额按现值）。", "Deals in each stage now and on that day, rebuilt from the stage history (amounts as they are now).";
    SeriesNow => "现在", "Now";
    SeriesOn => "{date}", "On {date}";
    ForecastTitle => "成交预测", "Forecast";
    ForecastConfidenceExplain => "按把握：每个在谈商机的金额 × 把握度，计入预计成交月份。", "By confidence: each open deal's amount × its confidence, in its expected close month.";
    ForecastStageExplain => "按阶段转化：每个阶段的金额 × 从该阶段到赢单的各级转化率，在平均剩余停留时间后计入（从阶段历史学得）。", "By stage transition: each stage's amount × the conversion rates from there to won, counted after the average remaining stay (learned from the stage history).";
    ForecastOutside => "未计入图中：已过预计日期 {overdue}，无预计日期 {undated}（按把握加权）。", "Not in the chart: past their expected date {overdue}, without a date {undated} (weighted by confidence).";
    SeriesConfidence => "按把握", "By confidence";
    SeriesStageModel => "按阶段转化", "By stage transition";
    ModelTitle => "阶段转化模型", "Stage-transition model";
    ModelCaption => "离开每个阶段的商机中进入后续阶段的比例和平均停留天数；尚无样本的阶段按默认赢率和一个月估计。", "Of the deals that left each stage, the share that moved on and the average days there; stages with no exits yet use the default win probabilities and a month.";
    ModelDefault => "默认", "default";
    ConversionTitle => "阶段转化", "Stage-to-stage conversion";
    ConversionCaption => "本期新建的商机到达每个阶段的数量（跳过的阶段也算到达）；悬停查看与上一阶段相比的转化率。", "How many deals created in the period reached each stage (a skipped stage counts as reached); hover for the rate from the step before.";
    WinRateTitle => "赢单率（按负责人）", "Win rate by rep";
    WinRateCaption => "本期关闭的商机中赢单的比例：总体 {rate}（赢 {won}，输 {lost}）。", "Of the deals closed in the period, the share won: {rate} overall ({won} won, {lost} lost).";
    WinRateMarkTitle => "{name}：{rate}（赢 {won}，输 {lost}）", "{name}: {rate} ({won} won, {lost} lost)";
    LostToTitle => "输给了谁", "Lost to";
    LostToCaption => "本期输单按赢得它的竞争对手；价差 = 对方报价 − 我方金额，负数表示对方更便宜。", "Deals lost in the period by the competitor who won them; price difference = their price − our amount, negative when they were cheaper.";
    LostToNone => "本期没有注明竞争对手的输单。", "No deal was lost to a named competitor in the period.";
    ErrPeriodMalformed => "请选择起止日期，开始日期不能晚于结束日期。", "Choose a first and a last day, the first not after the last.";

    NavUsers => "用户与团队", "Users & teams";
    NavSettings => "公司设置", "Company settings";
    NavAccount => "我的账户", "My account";
    NavAdminSection => "管理", "Administration";
    Logout => "退出登录", "Log out";

    SetupTitle => "欢迎使用关系 CRM", "Welcome to Guanxi CRM";
    SetupIntro => "先设置公司信息并创建第一个管理员账户。此页面只能使用一次。", "Set up your company and create the first administrator. This page can be used once only.";
    SetupCompanySection => "公司", "Company";
    SetupAdminSection => "第一个管理员", "First administrator";
    SetupSubmit => "完成设置并登录", "Finish setup and sign in";
    CompanyName => "公司名称", "Company name";
    Currency => "货币", "Currency";
    TimeZone => "时区", "Time zone";
    DefaultLanguage => "默认语言", "Default language";
    SessionIdleMinutes => "无操作自动退出（分钟）", "Sign out after inactivity (minutes)";

    LoginTitle => "登录", "Sign in";
    LoginSubmit => "登录", "Sign in";
    LoginSubtitle => "使用公司分配给你的邮箱和密码登录。", "Sign in with the email and password your company gave you.";
    Email => "邮箱", "Email";
    Password => "密码", "Password";
    Name => "姓名", "Name";
    Role => "角色", "Role";
    Team => "团队", "Team";
    Status => "状态", "Status";
    Active => "在职", "Active";
    Inactive => "已停用", "Deactivated";
    RoleAdmin => "管理员", "Admin";
    RoleManager => "经理", "Manager";
    RoleRep => "销售代表", "Sales rep";
    NoTeam => "未分组", "No team";

    HomeGreeting => "你好，{name}", "Hello, {name}";
    HomeIntro => "这是{company}的工作台，你的角色是{role}。", "This is the workbench of {company}. Your role: {role}.";
    HomeGettingStarted => "开始使用", "Getting started";
    HomeStepTeam => "添加团队成员", "Add your team";
    HomeStepTeamDetail => "目前账户数：{count}。为每位销售和经理创建账户并分配团队。", "Accounts so far: {count}. Create one for each rep and manager and put them in teams.";
    HomeStepSettings => "检查公司设置", "Review company settings";
    HomeStepSettingsDetail => "货币 {currency}，时区 {tz}。", "Currency {currency}, time zone {tz}.";
    HomeStepToken => "连接其他系统", "Connect other systems";
    HomeStepTokenDetail => "在“我的账户”中创建 API 令牌，通过 REST API 读写数据。", "Create an API token under My account to use the REST API.";
    HomeOpen => "打开", "Open";
    WorkbenchMonth => "本月（{month}）", "This month ({month})";
    KpiNewCustomers => "新客户", "New customers";
    KpiActivities => "跟进次数", "Activities";
    KpiWon => "赢单金额", "Won";
    VsLastMonth => "较上月同期", "vs the same days last month";
    HotCustomersTitle => "热点客户", "Hot customers";
    HotNone => "还没有热点客户。在客户页标记为热点并写一句提示，它就会出现在这里。", "No hot customers yet. Flag one on its page with a short hint and it shows here.";
    TasksDueTitle => "今日与逾期待办", "Due today and overdue";
    TasksDueNone => "今天没有到期的待办。", "Nothing due today.";
    StalledTitle => "停滞的商机", "Stalled deals";
    StalledNone => "没有停滞的商机。", "No stalled deals.";
    StalledDays => "在「{stage}」停留 {days} 天", "{days} days in {stage}";
    ReturningTitle => "即将退回公海", "Returning to the pool soon";
    ReturningCaption => "连续 {days} 天未跟进的客户会退回公海；以下客户一周内到期。", "Customers nobody works on for {days} days return to the pool; these do within a week.";
    ReturningNone => "一周内没有客户会退回公海。", "No customer returns to the pool within a week.";
    ReturningOff => "公司未开启客户退回公海。", "Customers never return to the pool: the rule is off.";
    PoolReturnsOn => "{date} 退回（还剩 {days} 天）", "Returns on {date} ({days} days left)";
    TeamTitle => "团队本月", "The team this month";
    OverdueTasks => "逾期待办", "Overdue tasks";
    StalledDeals => "停滞商机", "Stalled deals";
    ViewAll => "查看全部", "View all";


    UsersTitle => "用户与团队", "Users & teams";
    UsersIntro => "管理可以登录的人员、他们的角色和团队。停用的账户无法登录，但其记录会保留。", "Manage who can sign in, their role and team. Deactivated accounts cannot sign in; their records stay.";
    AddUser => "添加用户", "Add user";
    EditUser => "编辑用户", "Edit user";
    InitialPassword => "初始密码", "Initial password";
    Deactivate => "停用", "Deactivate";
    Reactivate => "重新启用", "Reactivate";
    ResetPassword => "重置密码", "Reset password";
    NewPassword => "新密码", "New password";
    PasswordWasReset => "密码已重置，该用户的所有会话已结束。", "Password reset; all of the user's sessions were ended.";
    UserCreated => "用户已创建。", "User created.";
    TeamHint => "留空表示不属于任何团队", "Leave empty for no team";
    Actions => "操作", "Actions";
    You => "（你）", " (you)";

    SettingsTitle => "公司设置", "Company settings";
    SettingsIntro => "这些设置适用于公司内所有用户。", "These settings apply to everyone in the company.";
    StaffAddressesTitle => "同事怎样打开关系 CRM", "How colleagues open Guanxi";
    StaffAddressesIntro => "同一局域网里的同事在浏览器中输入下面的地址即可使用。", "Colleagues on the same network type one of these addresses into their browsers.";
    StaffAddressesNone => "这台电脑没有可供同事访问的局域网地址，只有本机可以使用。请用 --listen 0.0.0.0:端口 启动，并检查网络连接。", "This computer has no address colleagues can reach; only this computer can use Guanxi. Start it with --listen 0.0.0.0:PORT and check the network connection.";
    ServeStaffCanOpen => "同事可以在浏览器中打开 {url}", "Colleagues can open {url} in their browsers";
    ServeOnlyThisMachine => "只有本机可以打开 {url}：同事无法访问（用 --listen 监听 0.0.0.0 即可让同事访问）", "Only this computer can open {url}: colleagues cannot reach it (listen on 0.0.0.0 with --listen to let them in)";
    ServePortInUse => "端口 {port} 已被占用（也许关系 CRM 已在运行）；请用 --listen 选择其他端口，例如 --listen 0.0.0.0:8081", "Port {port} is already in use (perhaps Guanxi is already running); choose another with --listen, e.g. --listen 0.0.0.0:8081";
    ServePortDenied => "没有权限监听 {address}（1024 以下的端口需要管理员权限）；请用 --listen 选择其他端口，例如 --listen 0.0.0.0:8080", "Not allowed to listen on {address} (ports below 1024 need administrator rights); choose another with --listen, e.g. --listen 0.0.0.0:8080";
    ServeTlsUnreadable => "无法使用 TLS 证书或私钥：{error}（--tls-cert 和 --tls-key 需要 PEM 格式的文件）", "Cannot use the TLS certificate or key: {error} (--tls-cert and --tls-key take PEM files)";
    ServeCannotListen => "无法监听 {address}：{error}（用 --listen 选择其他地址）", "Cannot listen on {address}: {error} (choose another address with --listen)";

    NavBackups => "备份", "Backups";
    NavAudit => "审计日志", "Audit log";
    AuditTitle => "审计日志", "Audit log";
    AuditIntro => "谁在什么时候改了什么：客户、联系人、商机、跟进、任务、设置、用户和漏斗的每一次修改，以及每一次登录和登录失败。彻底删除的记录也保留在这里。", "Who changed what, and when: every change to customers, contacts, deals, activities, tasks, settings, users and pipelines, and every sign-in and failed sign-in. Records deleted for good stay here too.";
    AuditWhen => "时间", "When";
    AuditWho => "操作人", "Who";
    AuditKindLabel => "记录类型", "Record kind";
    AuditRecord => "记录", "Record";
    AuditActionLabel => "操作", "Action";
    AuditChanges => "改动", "Changes";
    AuditTrailTitle => "修改记录", "Change history";
    AuditAnyKind => "全部类型", "Any kind";
    AuditAnyAction => "全部操作", "Any action";
    AuditAnyone => "全部用户", "Anyone";
    AuditNone => "没有符合条件的记录。", "No entries match.";
    AuditSystem => "系统", "System";
    AuditPasswordChanged => "已更改", "changed";
    AuditKindSession => "登录", "Sign-in";
    AuditKindCustomer => "客户", "Customer";
    AuditKindContact => "联系人", "Contact";
    AuditKindDeal => "商机", "Deal";
    AuditKindActivity => "跟进", "Activity";
    AuditKindTask => "任务", "Task";
    AuditKindSettings => "设置", "Settings";
    AuditKindUser => "用户", "User";
    AuditKindPipeline => "漏斗", "Pipeline";
    AuditKindApiToken => "API 令牌", "API token";
    AuditCreate => "新建", "Created";
    AuditUpdate => "修改", "Changed";
    AuditDelete => "删除", "Deleted";
    AuditRestore => "恢复", "Restored";
    AuditPurge => "彻底删除", "Purged";
    AuditSignIn => "登录成功", "Signed in";
    AuditSignInFailed => "登录失败", "Sign-in failed";
    AuditSignOut => "退出登录", "Sign-out";
    AuditSettingsCompany => "公司设置", "Company settings";
    AuditSettingsCustomers => "客户设置", "Customer settings";
    AuditSettingsCloseReasons => "输赢原因", "Close reasons";
    AuditSettingsCustomerTypes => "客户类型", "Customer types";
    AuditSettingsSales => "销售设置", "Sales settings";
    AuditFieldFile => "文件", "File";
    AuditSettingsExpenseCategories => "费用类别", "Expense categories";
    AuditSettingsBackups => "备份保留策略", "Backup retention";
    BackupsTitle => "备份与恢复", "Backups and restore";
    BackupsIntro => "随时下载一份完整的数据快照，大家可以照常工作。服务器每天自动在数据文件夹的 backups 中保存一份快照。", "Download a complete snapshot of the data at any time while everyone keeps working. The server also saves a snapshot every day in the data folder's backups folder.";
    BackupDownload => "立即下载备份", "Download a backup now";
    BackupFailed => "{at} 的自动快照失败：{error}。请检查磁盘空间和数据文件夹的权限；服务器每小时会重试。", "The scheduled snapshot at {at} failed: {error}. Check the free disk space and the data folder's permissions; the server tries again every hour.";
    BackupPolicyTitle => "保留多久", "How long snapshots are kept";
    BackupPolicyIntro => "保留最近若干天每天的最新快照、最近若干周每周的和最近若干月每月的；更早的自动删除。升级和恢复前保存的文件不会被删除。", "Keep the newest snapshot of each of the last days, weeks and months set here; older ones are deleted. Files kept before an upgrade or a restore are never deleted.";
    KeepDaily => "按天保留（天）", "Daily (days)";
    KeepWeekly => "按周保留（周）", "Weekly (weeks)";
    KeepMonthly => "按月保留（月）", "Monthly (months)";
    BackupFilesTitle => "已保存的快照", "Saved snapshots";
    BackupSnapshotNow => "立即保存快照", "Take a snapshot now";
    BackupFolder => "文件位置：{folder}。恢复时先停止服务器，再运行 guanxi restore 文件名。", "Folder: {folder}. To restore, stop the server and run guanxi restore FILE.";
    BackupNone => "还没有快照。服务器启动一分钟后会保存第一份。", "No snapshots yet. The server takes the first a minute after it starts.";
    BackupTaken => "时间", "Taken";
    BackupKindHeader => "类型", "Kind";
    BackupSize => "大小", "Size";
    BackupFileName => "文件", "File";
    BackupKindScheduled => "定时快照", "Scheduled";
    BackupKindBeforeMigration => "升级前", "Before an upgrade";
    BackupKindBeforeRestore => "恢复前", "Before a restore";

    AccountTitle => "我的账户", "My account";
    AccountLanguageIntro => "界面语言只影响你自己。", "The interface language affects only you.";
    ChangePassword => "修改密码", "Change password";
    CurrentPassword => "当前密码", "Current password";
    PasswordChanged => "密码已修改，其他设备上的登录已退出。", "Password changed; you were signed out everywhere else.";
    ApiTokens => "API 令牌", "API tokens";
    ApiTokensIntro => "令牌以你的身份调用 REST API（请求头 Authorization: Bearer 令牌）。令牌只显示一次，请妥善保存。", "A token calls the REST API as you (header Authorization: Bearer TOKEN). It is shown once only: keep it safe.";
    TokenName => "令牌名称", "Token name";
    TokenNamePlaceholder => "例如：报表脚本", "e.g. report script";
    CreateToken => "创建令牌", "Create token";
    TokenCreated => "新令牌（只显示这一次）：", "Your new token (shown this once only):";
    Revoke => "撤销", "Revoke";
    Created => "创建时间", "Created";
    LastUsed => "最近使用", "Last used";
    NoTokens => "还没有令牌。", "No tokens yet.";

    ForbiddenTitle => "没有权限", "Not allowed";
    ForbiddenBody => "你的角色无权打开此页面。如需访问，请联系管理员。", "Your role may not open this page. Ask an administrator if you need it.";
    NotFoundTitle => "页面不存在", "Page not found";
    NotFoundBody => "找不到这个地址。", "There is nothing at this address.";
    BackHome => "返回工作台", "Back to the workbench";
    SignInAgain => "重新登录", "Sign in again";

    PasswordHint => "至少 10 个字符；用一句好记的话更安全。", "At least 10 characters; a memorable phrase is safest.";
    NavCustomers => "客户", "Customers";
    NavTasks => "待办", "Tasks";
    CustomersTitle => "客户", "Customers";
    CustomersIntro => "你能看到的客户：自己的、团队的（经理）以及公海中的客户。", "The customers you can see: your own, your team's (managers) and the public pool.";
    NewCustomer => "新建客户", "New customer";
    ScopeAll => "全部", "All";
    ScopeMine => "我的", "Mine";
    ScopePool => "公海", "Public pool";
    AnyType => "所有类型", "Any type";
    SearchPlaceholder => "名称、电话或邮箱", "Name, phone or email";
    Search => "搜索", "Search";
    Kind => "类别", "Kind";
    KindCompany => "公司", "Company";
    KindPerson => "个人", "Person";
    CustomerType => "客户类型", "Customer type";
    TypePotential => "潜在", "Potential";
    TypeSigned => "签约", "Signed";
    TypeAgent => "代理商", "Agent";
    TypeInvalid => "失效", "Invalid";
    Owner => "负责人", "Owner";
    InPool => "公海", "Public pool";
    Phone => "电话", "Phone";
    Region => "地区", "Region";
    Industry => "行业", "Industry";
    Source => "来源", "Source";
    Tags => "标签", "Tags";
    TagsHint => "用逗号分隔", "Separate with commas";
    Address => "地址", "Address";
    Website => "网站", "Website";
    Notes => "备注", "Notes";
    LastContact => "最近联系", "Last contact";
    NoCustomers => "没有符合条件的客户。", "No customers match.";
    ShowingCount => "共 {total} 个，第 {from}–{to} 个", "{from}–{to} of {total}";
    Previous => "上一页", "Previous";
    Next => "下一页", "Next";
    Contacts => "联系人", "Contacts";
    ContactN => "联系人 {n}", "Contact {n}";
    JobTitle => "职位", "Title";
    Wechat => "微信", "WeChat";
    DecisionRole => "决策角色", "Decision role";
    RoleNone => "未指定", "Not set";
    RoleDecisionMaker => "决策者", "Decision maker";
    RoleInfluencer => "影响者", "Influencer";
    RoleUser => "使用者", "User";
    RoleGatekeeper => "把关者", "Gatekeeper";
    AddContact => "添加联系人", "Add contact";
    NoContacts => "还没有联系人。", "No contacts yet.";
    Birthday => "生日", "Birthday";
    PhonesHint => "多个号码用逗号分隔。", "Separate several numbers with commas.";
    EditContact => "编辑联系人", "Edit contact";
    DeleteContact => "删除联系人", "Delete contact";
    ConfirmDeleteContact => "删除联系人“{name}”？它会进入回收站，管理员可以恢复；客户的变更记录会保留这一条。", "Delete the contact {name}? It goes to the recycle bin, where an admin can restore it; the customer's history keeps a line about it.";
    ContactChangedField => "修改了联系人 {name} 的{field}：{old} → {new}", "changed {field} of contact {name}: {old} → {new}";
    ContactDeleted => "删除了联系人 {name}", "deleted the contact {name}";
    ContactRestored => "从回收站恢复了联系人 {name}", "restored the contact {name} from the recycle bin";
    SaveAnyway => "仍然保存", "Save anyway";
    Profile => "资料", "Profile";
    KeyFigures => "关键数据", "Key figures";
    CreatedOn => "创建于", "Created";
    Timeline => "时间线", "Timeline";
    NoTimeline => "还没有任何记录。记录一次通话或拜访吧。", "Nothing here yet. Log a call or a visit.";
    LoadMore => "加载更多", "Load more";
    LogActivity => "记录跟进", "Log activity";
    ActivityKind => "方式", "Type";
    DurationMinutes => "时长（分钟）", "Duration (minutes)";
    ActivityText => "内容", "What happened";
    ActCall => "电话", "Call";
    ActVisit => "拜访", "Visit";
    ActSms => "短信", "SMS";
    ActEmail => "邮件", "Email";
    ActWechat => "微信", "WeChat";
    ActQq => "QQ", "QQ";
    ActMeeting => "会议", "Meeting";
    ActNote => "笔记", "Note";
    AddTask => "添加待办", "Add task";
    TaskTitle => "事项", "To do";
    Due => "截止时间", "Due";
    IsCommitment => "这是对客户的承诺", "This is a promise to the customer";
    TaskLabel => "待办", "Task";
    CommitmentLabel => "承诺", "Commitment";
    ChangedField => "修改了 {field}：{old} → {new}", "changed {field}: {old} → {new}";
    Minutes => "{n} 分钟", "{n} min";
    Claim => "领取", "Claim";
    Release => "释放到公海", "Release to pool";
    TasksTitle => "我的待办", "My tasks";
    TasksIntro => "按截止时间排列；逾期的标红。", "By due date; overdue ones in red.";
    NoTasks => "没有待办事项。", "Nothing to do.";
    Done => "完成", "Done";
    Reopen => "重新打开", "Reopen";
    Overdue => "已逾期", "Overdue";
    Customer => "客户", "Customer";
    ErrRequired => "必填。", "Required.";
    ErrBirthdayRange => "生日须在 1900 年到今天之间。", "A birthday lies between 1900 and today.";
    ErrTooShort => "至少 {n} 个字符。", "At least {n} characters.";
    ErrTooLong => "最多 {n} 个字符。", "At most {n} characters.";
    ErrOutOfRange => "必须在 {min} 到 {max} 之间。", "Must be between {min} and {max}.";
    ErrMalformed => "格式不正确。", "Not in a valid format.";
    ErrUnknown => "无法识别。", "Not recognised.";
    ErrTaken => "已被使用。", "Already in use.";
    ErrWrongCurrentPassword => "当前密码不正确。", "The current password is wrong.";
    ErrEmailMalformed => "请输入有效的邮箱地址，例如 wang@example.com。", "Enter a valid email address, e.g. wang@example.com.";
    ErrEmailTaken => "该邮箱已被其他账户使用。", "Another account already uses this email.";
    ErrTimeZoneUnknown => "未知时区，请使用如 Asia/Shanghai 的名称。", "Unknown time zone; use a name like Asia/Shanghai.";
    ErrCurrencyMalformed => "请输入三个字母的货币代码，例如 CNY。", "Enter a three-letter currency code such as CNY.";
    ErrUnauthenticated => "你尚未登录或登录已过期。", "You are not signed in, or your session has expired.";
    ErrForbidden => "你无权执行此操作。", "You are not allowed to do this.";
    ErrNotFound => "记录不存在或已被删除。", "The record does not exist or was deleted.";
    ErrConflict => "此记录已被其他人修改。请刷新后重试，你的修改尚未保存。", "Someone else changed this record. Reload and try again; your changes were not saved.";
    ErrBadCredentials => "邮箱或密码不正确。", "Wrong email or password.";
    ErrDeactivated => "此账户已被停用，请联系管理员。", "This account is deactivated. Contact your administrator.";
    ErrRateLimited => "失败次数过多，请在 {n} 分钟后再试。", "Too many failed attempts. Try again in {n} minutes.";
    ErrAlreadySetUp => "系统已经完成设置。", "Setup has already been done.";
    ErrNotSetUp => "系统尚未完成设置。", "Setup has not been done yet.";
    ErrLastAdmin => "不能停用或降级最后一个在职管理员。", "The last active admin cannot be deactivated or demoted.";
    ErrInternal => "服务器出错，请稍后重试。", "Something went wrong on the server. Please try again.";
    ErrStorageFull => "服务器磁盘已满，这次没有保存。请管理员腾出空间后重试。", "The server's disk is full, so this was not saved. Ask your administrator to free some space, then try again.";
    ErrStorageUnavailable => "服务器读写数据出错，这次保存可能没有完成。请刷新查看后再试；如果一直如此，请联系管理员。", "The server could not read or write its data, so this may not have been saved. Reload to check, then try again; if it keeps happening, tell your administrator.";
    ErrNetwork => "无法连接服务器，请检查网络后重试。", "Cannot reach the server. Check the network and try again.";
    ErrPossibleDuplicates => "可能与已有客户重复：{names}。确认无误后可仍然保存。", "This may duplicate an existing customer: {names}. Save anyway if you are sure.";
    ErrVersionRequired => "请在 If-Match 请求头（如 \"3\"）或 version 字段中写明你修改的是哪个版本，以免覆盖他人的修改。", "Say which version you edited, in an If-Match header (e.g. \"3\") or a version field, so that no one else's change is overwritten.";
    ErrAmountMalformed => "请输入金额，如 12345.67：不能为负数，最多两位小数。", "Enter an amount such as 12345.67: not negative, at most two decimals.";
    ErrOwnersSplit => "各负责人的业绩分配比例之和必须为 100%。", "The owners' credit shares must add up to 100 %.";
    ErrOwnersTwice => "同一负责人只能出现一次。", "Each owner may appear only once.";
    ErrReopenPending => "这个商机已有待审批的重新打开申请。", "A request to reopen this deal is already waiting for a decision.";
    ErrStageHasDeals => "该阶段还有商机，请用「删除阶段」先把它们移走。", "This stage still holds deals; use Remove to move them elsewhere first.";
    ErrStagesOrder => "进行中的阶段在前，最后是一个赢单阶段和一个输单阶段。", "Open stages come first, then exactly one won and one lost stage.";
    ErrReasonUnknown => "请从列表中选择原因。", "Pick a reason from the list.";
    ErrMonthMalformed => "月份格式应为 YYYY-MM。", "The month must look like YYYY-MM.";
    ErrTimeInFuture => "时间不能晚于现在：记录的是已经发生的跟进。", "The time cannot be later than now: an activity is logged once it has happened.";
    ErrDealNotOfCustomer => "只能关联该客户自己的商机。", "Only one of this customer's own deals can be linked.";
    ErrContractNotOfCustomer => "只能关联该客户自己的合同。", "Only one of this customer's own contracts can be linked.";
    ErrGradeUnknown => "三一客等级应为大单、中单或小单。", "The grade must be big, medium or small.";
    ErrChecklistIncomplete => "离开此阶段前请先完成：{items}", "Finish these before the deal leaves this stage: {items}";
    ErrHoldingLimit => "{user} 已持有 {held} 个客户，上限为 {limit} 个。", "{user} already holds {held} customers, the limit is {limit}.";
    ErrUnknownCustomerType => "未知的客户类型「{value}」：可把它对应到已有类型，或新建该类型。", "Unknown customer type '{value}': map it to a type, or create it.";

    Grade => "等级", "Grade";
    CustomerRulesTitle => "客户规则", "Customer rules";
    CustomerRulesIntro => "公海回收、持有上限、附件大小、自定义字段与查询链接。", "Pool return, holding limit, file size, custom fields and lookup links.";
    PoolReturnDays => "无跟进自动回收公海（天）", "Return to pool after days without activity";
    PoolReturnDaysHint => "0 表示不自动回收。每天及启动时检查。", "0 turns this off. Checked daily and at start.";
    HoldingLimit => "每人最多持有客户数", "Most customers one rep may hold";
    HoldingLimitHint => "0 表示不限。新建、导入、领取、分配和交接客户时都会检查；管理员可填写理由超出上限。", "0 means no limit. Checked when customers are created, imported, claimed, assigned and handed over; an admin may go over it with a reason.";
    CustomerTypesTitle => "客户类型", "Customer types";
    CustomerTypesHint => "内置的四种类型始终可用。停用的类型仍保留在已有客户上，但新客户不能再选。", "The four built-in types are always offered. A retired type stays on its customers but is no longer offered for new ones.";
    BuiltInType => "内置", "Built-in";
    TypeRetired => "已停用", "Retired";
    RetireType => "停用", "Retire";
    RestoreType => "恢复使用", "Offer again";
    AddType => "添加类型", "Add type";
    NewTypeLabel => "新类型名称", "New type's name";
    Rename => "改名", "Rename";
    UnknownTypesTitle => "文件中的未知客户类型", "Customer types in the file that are not known";
    UnknownTypesHint => "为每个类型选择对应的已有类型或新建它，然后再试运行一次。", "Map each to a type or create it, then run the dry run again.";
    UnknownTypeRows => "「{value}」，{n} 行", "'{value}' in {n} rows";
    MapTypeChoose => "请选择…", "Choose…";
    CreateTypeOption => "新建类型「{value}」", "Create the type '{value}'";
    OverLimitReason => "超出持有上限的理由", "Reason to go over the holding limit";
    OverLimitReasonHint => "仅管理员可以超出上限；理由会记在每个客户的历史中。", "Only an admin may go over the limit; the reason is kept in each customer's history.";
    HandoverOverLimit => "{user} 现有 {held} 个客户，接手后将有 {after} 个，超出上限 {limit} 个。", "{user} holds {held} customers and would hold {after} after this handover, over the limit of {limit}.";
    HistoryLimitOverride => "超出持有上限分配，理由：{reason}", "Given over the holding limit; reason: {reason}";
    ReturnsToPool => "自动回收公海", "Returns to the pool";
    ReturnsOn => "{date}（{n} 天后）", "{date} (in {n} days)";
    ReturnsAtNextCheck => "{date}（下次检查时）", "{date} (at the next check)";
    ReturnsToPoolHint => "只有跟进记录（电话、拜访、消息、会议、备注）和赢单会重新计时。", "Only activities (calls, visits, messages, meetings, notes) and won deals restart the clock.";
    DeleteFileConfirm => "删除这个文件？", "Delete this file?";
    DeleteActivityConfirm => "删除这条跟进记录？它会进入回收站，管理员可以恢复。", "Delete this activity? It goes to the recycle bin, where an admin can restore it.";
    MaxFileMb => "附件大小上限（MB）", "Largest file upload (MB)";
    CustomFieldsTitle => "自定义字段", "Custom fields";
    CustomFieldsHint => "显示在客户表单、列表筛选、导入与导出中。清空名称即删除该字段。", "Shown in the customer form, list filters, import and export. Clear a label to remove the field.";
    FieldLabel => "字段名称", "Label";
    FieldKind => "类型", "Kind";
    FieldKindText => "文本", "Text";
    FieldKindNumber => "数字", "Number";
    FieldKindDate => "日期", "Date";
    FieldKindChoice => "单选", "Single choice";
    FieldOptions => "选项（逗号分隔）", "Choices (comma separated)";
    LookupLinksTitle => "查询链接", "Lookup links";
    LookupLinksHint => "客户页上的按钮，例如企业信用查询。网址中可用 {name} 与 {phone}。", "Buttons on the customer page, e.g. a business register. Use {name} and {phone} in the address.";
    LinkLabel => "按钮文字", "Button text";
    LinkUrl => "网址模板", "Address template";
    EditCustomer => "编辑客户", "Edit customer";
    HotCustomer => "重点跟进", "Hot";
    HotHint => "一句话提示", "One-line hint";
    HotToggle => "标记为重点跟进", "Mark as hot";
    MoveToBin => "移入回收站", "Move to recycle bin";
    ConfirmMoveToBin => "把此客户及其联系人、跟进记录移入回收站？管理员可以恢复。", "Move this customer with its contacts and history to the recycle bin? An admin can restore it.";
    TimelineActivities => "跟进", "Activities";
    TimelineTasks => "任务", "Tasks";
    FileLabel => "文件", "File";
    FilesTitle => "文件", "Files";
    NoFiles => "还没有文件。", "No files yet.";
    AttachFile => "上传文件", "Upload a file";
    FileSizeLimit => "单个文件不超过 {n} MB。", "Up to {n} MB per file.";
    ChangeHistory => "修改记录", "Change history";
    SystemUser => "系统", "System";
    ChangeDeleted => "回收站", "Recycle bin";
    Empty => "（空）", "(empty)";
    AssignTo => "分配给", "Assign to";
    Assign => "分配", "Assign";
    PoolTitle => "公海", "Public pool";
    PoolIntro => "无人负责的客户。领取后即归你跟进。", "Customers nobody holds. Claim one to make it yours.";
    NavPool => "公海", "Public pool";
    HeaderSearch => "搜索客户、联系人、电话、商机…", "Search customers, contacts, phones, deals…";
    NoMatches => "没有匹配的结果。", "No matches.";
    ContactOf => "{contact} · {customer}", "{contact} · {customer}";
    QuickEntry => "快速记录", "Quick entry";
    QuickEntryHint => "快捷键 N", "Shortcut N";
    FilterTag => "标签", "Tag";
    FilterRegion => "地区", "Region";
    FilterIndustry => "行业", "Industry";
    FilterHot => "重点", "Hot";
    AnyValue => "全部", "Any";
    ContactedFrom => "最近联系自", "Last contact from";
    ContactedTo => "至", "to";
    SortBy => "排序", "Sort";
    SortUpdated => "最近更新", "Recently updated";
    SortName => "名称", "Name";
    SortCreated => "最近创建", "Newest";
    SortContact => "最近联系", "Last contact";
    MoreFilters => "更多筛选", "More filters";
    ClearFilters => "清除筛选", "Clear filters";
    Selected => "已选 {n} 个", "{n} selected";
    SelectAll => "全选本页", "Select page";
    BulkAddTag => "加标签", "Add tag";
    BulkRelease => "释放到公海", "Release to pool";
    BulkAssign => "分配", "Assign";
    BulkDone => "已处理 {n} 个客户。", "{n} customers updated.";
    BulkSkipped => "{n} 个未处理：{reason}", "{n} skipped: {reason}";
    ExportCustomerName => "客户名称", "Customer name";
    ExportKind => "客户性质", "Kind";
    ExportCsv => "导出 CSV", "Export CSV";
    ImportCustomers => "导入", "Import";
    ImportTitle => "导入客户", "Import customers";
    ImportIntro => "从 Excel 导出的 CSV 或手机导出的 vCard 名片导入。", "From a CSV saved by Excel, or a vCard file exported from a phone.";
    ImportCsvTitle => "CSV 表格", "CSV spreadsheet";
    ImportCsvHint => "支持 UTF-8（含或不含 BOM）和 Excel 默认的 GBK/GB18030 编码。第一行为表头。", "UTF-8 (with or without BOM) and Excel's default GBK/GB18030 are both fine. The first row holds the headers.";
    ImportVcardTitle => "vCard 名片", "vCard contacts";
    ImportVcardHint => "每张名片建为一个个人客户。要把名片加到某个公司客户，请在该客户页面导入。", "Each card becomes a person-customer. To add cards to a company, import them on that customer's page.";
    ChooseFile => "选择文件", "Choose file";
    Upload => "上传", "Upload";
    ImportFileInfo => "{file} · {rows} 行 · 编码 {encoding}", "{file} · {rows} rows · {encoding}";
    ImportMappingTitle => "对应列", "Match the columns";
    Column => "列", "Column";
    SampleValues => "示例", "Sample";
    MapTo => "导入为", "Import as";
    DuplicateHandling => "遇到重复客户（名称、电话或邮箱相同）", "When a customer already exists (same name, phone or email)";
    DupSkip => "跳过", "Skip it";
    DupUpdate => "用表格中的非空值更新", "Update it with the sheet's non-empty values";
    DupCreate => "仍然新建", "Create another";
    DryRun => "试运行", "Dry run";
    RunImport => "开始导入", "Import";
    PlanSummary => "新建 {create} · 更新 {update} · 跳过 {skip} · 失败 {failed}", "Create {create} · update {update} · skip {skip} · fail {failed}";
    ProblemsTitle => "无法导入的行", "Rows that cannot be imported";
    RowNumber => "行号", "Row";
    ProblemText => "问题", "Problem";
    Importing => "正在导入… {done}/{total}", "Importing… {done}/{total}";
    ImportFinished => "导入完成。", "Import finished.";
    ViewCustomers => "查看客户", "View customers";
    ImportProducts => "导入", "Import";
    ImportOrders => "导入历史订单", "Import past orders";
    ImportOrdersTitle => "导入历史订单", "Import past orders";
    ImportOrdersIntro => "从 Excel 保存的 CSV 表格导入以前的合同/订单和回款：每行是订单的一条明细，订单号相同的行属于同一个订单。客户按名称、电话或邮箱匹配已有客户；订单的客户、日期、负责人、税率和回款读自订单的第一行。金额按明细计算，导入后的订单算作合同、收入和应收款。", "Past contracts and orders with their payments, from a CSV saved by Excel: each row is one line of an order, and rows with the same order number are one order. The customer is found among your customers by name, phone or email; an order's customer, date, owner, tax rate and payment are read from its first row. Amounts are worked out from the lines; imported orders count as contracts, revenue and receivables.";
    DuplicateOrderHandling => "遇到已有的订单号", "When a contract has the order number";
    DupOrderFail => "列为无法导入的订单（编号不能重复）", "List the order as one that cannot be imported (numbers are unique)";
    OrderPlanSummary => "订单：新建 {create}（{lines} 条明细、{payments} 笔回款）· 跳过 {skip} · 失败 {failed}", "Orders: create {create} ({lines} lines, {payments} payments) · skip {skip} · fail {failed}";
    ViewContracts => "查看合同", "View contracts";
    TargetOrderNumber => "订单号", "Order number";
    TargetOrderCustomer => "客户（名称、电话或邮箱）", "Customer (name, phone or email)";
    TargetLineProduct => "产品编码", "Product code";
    TargetLineDescription => "明细说明", "Line description";
    TargetOrderOwner => "负责人（用户邮箱）", "Owner (a user's email)";
    TargetAmountReceived => "已回款金额", "Amount received";
    ErrCustomerNotMatched => "没有名称、电话或邮箱为“{value}”的客户。", "No customer has the name, phone or email “{value}”.";
    ErrCustomerAmbiguous => "“{value}”对应 {n} 个客户，请改填电话或邮箱。", "“{value}” matches {n} customers: use a phone number or email instead.";
    ErrOrderRowDiffers => "与本订单第一行（第 {row} 行）不一致：订单的客户、日期、负责人、税率和回款以第一行为准，后面的行可以留空。", "Differs from the order's first row (row {row}): an order's customer, date, owner, tax rate and payment are read from its first row; later rows may leave them empty.";
    ErrOrderNumberTaken => "已有这个编号的合同。", "A contract has this number already.";
    ImportProductsTitle => "导入产品", "Import products";
    ImportProductsIntro => "从 Excel 保存的 CSV 表格导入产品，已有的产品按编码识别（不区分大小写）。产品列表导出的文件修改后可以直接导回。", "From a CSV saved by Excel; an existing product is found by its code, letter case aside. The product list's export imports back as it is, after any edits.";
    DuplicateProductHandling => "遇到已有的产品编码", "When a product with the code exists";
    DupProductFail => "列为无法导入的行（编码不能重复）", "List it as a row that cannot be imported (codes are unique)";
    ViewProducts => "查看产品", "View products";
    ErrActiveUnknown => "请填写“在售”或“已停用”（也可以填 是 / 否）。", "Write “On sale” or “Deactivated” (or yes / no).";
    VcardResult => "已添加 {n} 个联系人；{failed} 张名片无法导入。", "Added {n} contacts; {failed} cards could not be imported.";
    ImportVcard => "导入名片", "Import vCard";
    TargetIgnore => "不导入", "Do not import";
    TargetContactName => "联系人姓名", "Contact name";
    TargetContactTitle => "联系人职务", "Contact job title";
    TargetContactPhone => "联系人电话", "Contact phone";
    TargetContactEmail => "联系人邮箱", "Contact email";
    TargetContactWechat => "联系人微信", "Contact WeChat";
    TargetContactRole => "联系人角色", "Contact role";
    EncodingUtf8 => "UTF-8", "UTF-8";
    EncodingUtf8Bom => "UTF-8（BOM）", "UTF-8 (BOM)";
    EncodingGb18030 => "GBK/GB18030", "GBK/GB18030";
    EncodingUtf16 => "UTF-16（Unicode 文本）", "UTF-16 (Unicode Text)";
    RecycleBinTitle => "回收站", "Recycle bin";
    RecycleBinIntro => "删除的客户、商机、联系人和跟进记录。可恢复或永久删除。", "Deleted customers, deals, contacts and activities. Restore them or delete them for good.";
    BinCustomersTitle => "客户", "Customers";
    BinRecordsTitle => "商机、联系人和跟进记录", "Deals, contacts and activities";
    BinRecordsEmpty => "没有删除的商机、联系人或跟进记录。", "No deleted deals, contacts or activities.";
    BinKindDeal => "商机", "Deal";
    BinKindContact => "联系人", "Contact";
    BinKindActivity => "跟进记录", "Activity";
    BinRecordLabel => "名称 / 内容", "Name / text";
    DeletedBy => "删除人", "Deleted by";
    ConfirmPurgeRecord => "永久删除后无法恢复。确定吗？", "Deleted for good, this cannot be undone. Are you sure?";
    NavRecycleBin => "回收站", "Recycle bin";

    NavPipeline => "销售漏斗", "Pipeline";
    PipelineTitle => "销售漏斗", "Pipeline";
    PipelineIntro => "拖动卡片推进商机；也可以聚焦卡片后用左右方向键移动。", "Drag cards to move deals on, or focus a card and use the left and right arrow keys.";
    DefaultPipeline => "默认漏斗", "Default pipeline";
    StageInitialContact => "初期沟通", "Initial contact";
    StageEvaluation => "立项评估", "Project evaluation";
    StageNeedsAnalysis => "需求分析", "Needs analysis";
    StageBidding => "招投标", "Bidding";
    StageNegotiation => "商务谈判", "Negotiation";
    StageWon => "赢单", "Won";
    StageLost => "输单", "Lost";
    NewDeal => "新建商机", "New deal";
    EditDeal => "编辑商机", "Edit deal";
    CardMoved => "商机已移动。", "Deal moved.";
    Pipeline => "漏斗", "Pipeline";
    Stage => "阶段", "Stage";
    ExpectedMonth => "预计成交月份", "Expected close month";
    AmountFrom => "金额从", "Amount from";
    AmountTo => "金额至", "Amount to";
    Apply => "应用", "Apply";
    StalledAfter => "超过 {n} 天未推进即为停滞", "Stalled after {n} days in this stage";
    DaysInStage => "本阶段 {n} 天", "{n} d in stage";
    DaysSince => "{n} 天前", "{n} d ago";
    ExpectedClose => "预计成交日期", "Expected close";
    DealOpen => "进行中", "Open";
    DealSuspended => "已暂停", "Suspended";
    Amount => "金额", "Amount";
    AmountPlaceholder => "例如 120,000.00", "e.g. 120,000.00";
    WeightedAmount => "加权金额（金额 × 阶段赢率）", "Weighted amount (amount × stage probability)";
    WeightedShort => "加权", "weighted";
    ShowMore => "再显示（还有 {n} 个）", "Show more ({n} left)";
    CloseAsWon => "赢单", "Mark as won";
    CloseAsLost => "输单", "Mark as lost";
    CloseReason => "原因", "Reason";
    LostTo => "赢单的竞争对手", "Competitor who won";
    ReasonPrice => "价格", "Price";
    ReasonProduct => "产品与方案", "Product and solution";
    ReasonRelationship => "客户关系", "Relationship";
    ReasonService => "服务", "Service";
    ReasonNoBudget => "客户无预算", "No budget";
    ReasonNoDecision => "项目搁置", "No decision";
    ReasonCompetitor => "竞争对手更强", "Competitor was stronger";
    ReasonTiming => "时机不对", "Timing";
    ClosedBecause => "关闭原因：{reason}", "Closed because: {reason}";
    LostToName => "输给 {name}", "Lost to {name}";
    MoveTo => "移到", "Move to";
    Suspend => "暂停", "Suspend";
    Resume => "恢复", "Resume";
    DealDetails => "商机信息", "Deal details";
    DealTitle => "商机名称", "Deal title";
    Confidence => "把握度 (%)", "Confidence (%)";
    ConfidenceHint => "留空则使用阶段的默认赢率。", "Leave empty for the stage's default probability.";
    Owners => "负责人与业绩分配", "Owners and credit split";
    OwnersHint => "第一位是主负责人；多位负责人时比例合计须为 100%。", "The first is the lead owner; with several owners the shares must add up to 100 %.";
    CreditShare => "业绩比例 (%)", "Credit share (%)";
    SourceCampaign => "来源活动", "Source campaign";
    Qualification => "快速判断（三一客）", "Quick qualification (三一客)";
    QualificationHint => "小单快单：是否有价值、大中小、预计金额、下一个关键节点。", "For small, fast deals: worth it or not, size, expected amount, next key milestone.";
    NotQualified => "未判断", "Not qualified";
    Valuable => "有价值", "Worth pursuing";
    NotValuable => "无价值", "Not worth it";
    DealSize => "大中小", "Size";
    SizeBig => "大单", "Big";
    SizeMedium => "中单", "Medium";
    SizeSmall => "小单", "Small";
    ExpectedAmount => "预计金额", "Expected amount";
    NextMilestone => "下一个关键节点", "Next key milestone";
    Checklist => "阶段检查清单", "Stage checklist";
    NoChecklist => "本阶段没有必做事项。", "This stage has no required items.";
    Competitors => "竞争对手", "Competitors";
    NoCompetitors => "尚未记录竞争对手。", "No competitors recorded.";
    Price => "报价", "Price";
    Strengths => "优势", "Strengths";
    Weaknesses => "劣势", "Weaknesses";
    RequirementsAndSolution => "需求与方案", "Requirements and solution";
    Requirements => "客户需求", "Requirements";
    Solution => "我方方案", "Proposed solution";
    StageHistory => "阶段历史", "Stage history";
    HistoryCreated => "创建于「{to}」", "Created in {to}";
    HistoryMoved => "从「{from}」到「{to}」", "From {from} to {to}";
    CustomerActivities => "与该客户的近期跟进", "Recent activities with this customer";
    DealActivities => "本商机的跟进", "Activities on this deal";
    ActivityAt => "时间", "When";
    ActivityDeal => "关联商机", "Deal";
    NoDealLinked => "不关联商机", "No deal";
    ActivityAboutDeal => "商机：{title}", "Deal: {title}";
    DealHit => "商机 {deal} · {customer}", "Deal {deal} · {customer}";
    FilterGrade => "三一客", "Qualified as";
    NoActivities => "还没有跟进记录。", "No activities yet.";
    Change => "更换", "Change";
    Delete => "删除", "Delete";
    RemovedStage => "已删除的阶段", "a removed stage";
    DeleteDealConfirm => "删除这个商机及其阶段历史？它会进入回收站，管理员可以恢复。", "Delete this deal and its stage history? It goes to the recycle bin, where an admin can restore it.";
    Transfer => "转移", "Transfer";
    TransferTo => "转给", "Transfer to";
    ReopenTitle => "重新打开", "Reopen";
    ReopenWhy => "为什么要重新打开？", "Why reopen it?";
    RequestReopen => "申请重新打开", "Ask to reopen";
    ReopenPending => "重新打开的申请正在等待经理审批。", "Your request to reopen is waiting for a manager.";
    ReopenApproved => "{name} 已批准重新打开。", "{name} approved reopening it.";
    ReopenRejected => "{name} 驳回了重新打开的申请。", "{name} turned down reopening it.";
    NavApprovals => "审批", "Approvals";
    ApprovalsTitle => "审批", "Approvals";
    ApprovalsIntro => "重新打开已赢单或输单的商机需要经理批准。", "Reopening a won or lost deal needs a manager's approval.";
    WaitingForYou => "等你审批", "Waiting for you";
    YourRequests => "我的申请", "Your requests";
    NothingWaiting => "没有待审批的申请。", "Nothing is waiting for you.";
    NoRequests => "你还没有提交过申请。", "You have not asked for anything yet.";
    Approve => "批准", "Approve";
    Reject => "驳回", "Reject";
    DecisionNote => "审批意见（可选）", "Note (optional)";
    StatusPending => "待审批", "Pending";
    StatusApproved => "已批准", "Approved";
    StatusRejected => "已驳回", "Rejected";
    AskedBy => "{name} 于 {when} 申请", "Asked by {name} on {when}";
    HandOver => "交接", "Hand over";
    HandoverTitle => "工作交接", "Hand over";
    HandoverIntro => "把一位同事名下的客户、进行中的商机和未完成的待办一次性交给另一位同事或放回公海。", "Move everything a colleague holds (customers, open deals, open tasks) to someone else or back to the public pool, in one step.";
    HandoverHolds => "{name} 名下有 {customers} 个客户、{deals} 个进行中的商机和 {tasks} 个未完成的待办。", "{name} holds {customers} customers, {deals} open deals and {tasks} open tasks.";
    HandoverTo => "交给", "Hand over to";
    ToPublicPool => "公海（商机和待办交给我）", "The public pool (deals and tasks come to me)";
    HandoverConfirm => "确认交接", "Hand over now";
    HandoverDone => "交接完成。以下记录已转移：", "Done. These records moved:";
    MovedCustomers => "客户", "Customers";
    MovedDeals => "商机", "Deals";
    MovedTasks => "待办", "Tasks";
    NothingMoved => "没有需要转移的记录。", "There was nothing to move.";
    CloseReasonsTitle => "赢单与输单原因", "Won and lost reasons";
    CloseReasonsIntro => "关闭商机时可选的原因。取消勾选内置原因即可隐藏；自定义原因每行一个。", "The reasons offered when a deal is closed. Untick a built-in reason to hide it; add your own, one per line.";
    WonReasons => "赢单原因", "Reasons for winning";
    LostReasons => "输单原因", "Reasons for losing";
    OwnReasons => "自定义原因（每行一个）", "Your own reasons (one per line)";
    CustomerDealsTitle => "商机", "Deals";
    NoDeals => "还没有商机。", "No deals yet.";
    TimelineDeals => "商机", "Deals";
    DealLabel => "商机", "Deal";
    DealEventWon => "赢单（原阶段「{from}」）", "Won (from {from})";
    DealEventLost => "输单（原阶段「{from}」）", "Lost (from {from})";
    DealEventReopened => "重新打开，回到「{to}」", "Reopened, back in {to}";
    NavPipelines => "漏斗与阶段", "Pipelines & stages";
    PipelinesAdminTitle => "漏斗与阶段", "Pipelines and stages";
    PipelinesAdminIntro => "每条业务线一个漏斗。阶段的默认赢率用于加权金额，停滞天数让久未推进的商机变红，检查清单未完成时商机不能离开该阶段。", "One pipeline per business line. A stage's win probability weights its amounts, the stall limit turns idle deals red, and a deal cannot leave a stage before its checklist is done.";
    NewPipeline => "新建漏斗", "New pipeline";
    NewPipelineName => "新漏斗名称", "New pipeline's name";
    PipelineName => "漏斗名称", "Pipeline name";
    Order => "顺序", "Order";
    WinProbability => "赢率 (%)", "Win probability (%)";
    StallDays => "停滞天数", "Stalled after (days)";
    ChecklistOnePerLine => "检查清单（每行一项）", "Checklist (one item per line)";
    DealsHere => "商机数", "Deals";
    AddStage => "添加阶段", "Add stage";
    MoveUp => "上移", "Move up";
    MoveDown => "下移", "Move down";
    RemoveStage => "删除阶段", "Remove stage";
    RemoveStageQuestion => "「{stage}」中还有 {n} 个商机。删除前要把它们移到哪个阶段？", "{n} deals are still in {stage}. Where should they go before it is removed?";
    MoveDealsTo => "移到阶段", "Move them to";
    RemoveStageHint => "商机会立即移动并记入阶段历史；此页上未保存的其他修改会被放弃。", "The deals move at once and the move is kept in their stage history; other unsaved changes on this page are discarded.";
    MoveAndRemove => "移动并删除", "Move deals and remove";
    Remove => "删除", "Remove";
    Restore => "恢复", "Restore";
    Purge => "永久删除", "Delete for good";
    ConfirmPurge => "客户的联系人、跟进记录、文件、任务和商机将一并永久删除，无法恢复。确定吗？", "Its contacts, activities, files, tasks and deals are deleted with it. This cannot be undone. Delete for good?";
    DeletedAt => "删除时间", "Deleted";
    BinEmpty => "没有删除的客户。", "No deleted customers.";

    ErrPlanTooMuch => "付款计划合计比合同金额多 {amount}，请调整各期金额。", "The installments add up to {amount} more than the contract amount; adjust them.";
    ErrPlanTooLittle => "付款计划合计比合同金额少 {amount}，请调整各期金额。", "The installments add up to {amount} less than the contract amount; adjust them.";
    ErrPaymentTooLarge => "收款金额超过了未收金额 {amount}，没有保存。", "The payment is more than the {amount} still outstanding; nothing was saved.";
    ErrApprovalPending => "正在审批中，审批结束前不能修改。", "This is waiting for approval and cannot change until it is decided.";
    ErrWrongStatus => "当前状态为「{status}」，不能这样操作。", "Not possible while the status is {status}.";
    ErrInUse => "该产品已用在报价、合同或库存记录中，不能删除；可以把它停用。", "This product is on quotes, contracts or stock records and cannot be deleted; deactivate it instead.";
    ErrStockShortage => "{product} 在 {date} 只有 {on_hand} 的库存，出库数量超过了库存，没有保存。", "Only {on_hand} of {product} on hand on {date}: more than that cannot leave; nothing was saved.";
    ErrOverDelivery => "这一行只剩 {quantity} 未发货，没有保存。", "Only {quantity} of this line is left to deliver; nothing was saved.";
    ErrLineDelivered => "「{line}」已发货 {quantity}：这一行不能删除，数量也不能少于已发货的，没有保存。", "{quantity} of “{line}” was delivered: the line cannot be removed or ordered below that; nothing was saved.";
    ErrRestoreCustomerFirst => "请先从回收站恢复客户「{customer}」。", "Restore the customer {customer} from the recycle bin first.";
    ErrHasDeliveries => "这个合同已有发货记录，不能删除；可以把它作废。", "This contract has deliveries and cannot be deleted; cancel it instead.";
    ErrLineUnknown => "请选择合同中一个有产品的明细行。", "Pick a line of the contract that sells a product.";
    ErrCodeTaken => "已有产品使用这个编码。", "Another product already has this code.";
    ErrCodeMalformed => "编码不能包含空格。", "A code cannot contain spaces.";
    ErrLinesRequired => "请至少填写一行明细。", "Add at least one line.";
    ErrProductUnknown => "请选择一个在售的产品。", "Pick a product that is on sale.";
    ErrQuantityMalformed => "请输入大于 0 的数量，最多三位小数，如 2.5。", "Enter a quantity above 0 with at most three decimals, e.g. 2.5.";
    ErrRateMalformed => "请输入百分比，如 13 或 12.5。", "Enter a percentage such as 13 or 12.5.";
    ErrHasPayments => "这个合同已有回款，不能删除；可以把它作废。", "This contract has payments and cannot be deleted; cancel it instead.";
    ErrDateInPast => "日期在今天之前。如果确实如此，请勾选确认后再保存。", "The date is before today. If that is right, tick the confirmation and save again.";
    ErrQuoteHasContract => "这份报价已经生成过合同。", "This quote already became a contract.";
    ErrDealHasContract => "这个商机已有合同；作废后才能重新生成。", "This deal already has a contract; cancel it to create another.";
    ErrValidUntilRange => "有效期须在今天到十年之内。", "The validity date must lie between today and ten years from now.";

    NavProducts => "产品", "Products";
    ProductsTitle => "产品", "Products";
    ProductsIntro => "公司销售的产品和服务。报价时从这里选择；停用的产品保留在旧报价中，但不再可选。", "What the company sells. Quotes pick from this list; a deactivated product stays on old quotes but is no longer offered.";
    ProductsIntroEdit => "管理员和经理可以新建和修改产品。", "Admins and managers add and change products.";
    NewProduct => "新建产品", "New product";
    EditProduct => "编辑产品", "Edit product";
    ProductCode => "编码", "Code";
    ProductName => "名称", "Name";
    ProductUnit => "单位", "Unit";
    ProductUnitHint => "如 台、套、个、kg、小时", "e.g. piece, set, kg, hour";
    ProductCategory => "类别", "Category";
    ListPrice => "标准售价", "List price";
    StandardCost => "标准成本", "Standard cost";
    LowStockThreshold => "库存预警数量", "Low-stock warning at";
    LowStockHint => "留空表示不管理库存（如服务类产品）。", "Leave empty for a product not kept in stock (a service).";
    ProductActive => "在售", "On sale";
    ProductInactive => "已停用", "Deactivated";
    ProductActiveToggle => "在售（可用于新报价）", "On sale (offered for new quotes)";
    NoProducts => "还没有产品。", "No products yet.";
    ShowInactive => "显示已停用", "Show deactivated";
    DeleteProductConfirm => "删除这个产品？已用在报价中的产品不能删除，只能停用。", "Delete this product? A product on quotes cannot be deleted, only deactivated.";

    NavQuotes => "报价", "Quotes";
    QuotesTitle => "报价", "Quotes";
    QuotesIntro => "你能看到的报价：自己的、团队的（经理）或全部（管理员）。已发送的报价过了有效期自动失效。", "The quotes you can see: your own, your team's (managers) or all (admins). A sent quote expires by itself after its validity date.";
    NewQuote => "新建报价", "New quote";
    EditQuote => "编辑报价", "Edit quote";
    QuoteNumber => "报价单号", "Quote no.";
    QuoteTitle => "标题", "Title";
    QuoteDeal => "关联商机", "Deal";
    QuoteNoDeal => "不关联商机", "No deal";
    ValidUntil => "有效期至", "Valid until";
    TaxRate => "税率 (%)", "Tax rate (%)";
    QuoteLines => "明细", "Lines";
    LineProduct => "产品", "Product";
    LineFreeText => "编码或名称", "Code or name";
    LineProductHint => "输入产品编码或名称中的字，从列表中选择；留空为自填明细", "Type a product's code or part of its name and pick it from the list; leave it empty for a free-text line";
    LineProductUnknown => "没有这个产品：从列表中选择，或清空后自填明细", "No such product: pick one from the list, or clear it for a free-text line";
    LineDescription => "说明", "Description";
    LineQuantity => "数量", "Quantity";
    LineUnitPrice => "单价", "Unit price";
    LineUnitPriceHint => "留空按标准售价", "Empty: the list price";
    LineDiscount => "折扣 (%)", "Discount (%)";
    LineNet => "金额", "Amount";
    AddLine => "添加一行", "Add a line";
    RemoveLine => "删除此行", "Remove line";
    NetTotal => "不含税合计", "Net total";
    TaxTotal => "税额", "Tax";
    GrossTotal => "含税合计", "Total incl. tax";
    TaxAt => "税额（{rate}%）", "Tax ({rate} %)";
    NoQuotes => "还没有报价。", "No quotes yet.";
    QuoteStatusDraft => "草稿", "Draft";
    QuoteStatusPendingApproval => "审批中", "Awaiting approval";
    QuoteStatusApproved => "已批准", "Approved";
    QuoteStatusSent => "已发送", "Sent";
    QuoteStatusAccepted => "客户已接受", "Accepted";
    QuoteStatusRejected => "客户已拒绝", "Rejected";
    QuoteStatusExpired => "已失效", "Expired";
    QuoteSend => "发送给客户", "Send to the customer";
    QuoteSubmit => "提交审批", "Submit for approval";
    QuoteAccept => "客户接受", "Customer accepted";
    QuoteReject => "客户拒绝", "Customer rejected";
    QuoteRevise => "改回草稿", "Back to draft";
    QuotePrint => "打印 / 导出 PDF", "Print / save as PDF";
    QuoteNeedsApproval => "有明细的折扣超过了公司上限 {limit}%，发送前需要审批。", "A line's discount is above the company limit of {limit} %, so the quote needs approval before it is sent.";
    ApprovalChain => "审批流程", "Approval";
    ApprovalLevelManager => "销售经理", "Sales manager";
    ApprovalLevelAdmin => "管理员", "Administrator";
    ApprovalWaiting => "等待审批", "Waiting";
    ApprovalStepDone => "{name} {decision}", "{decision} by {name}";
    PrintQuoteTitle => "报价单", "Quotation";
    PrintTo => "致", "To";
    PrintDate => "日期", "Date";
    PrintValidNote => "本报价有效期至 {date}。", "This quotation is valid until {date}.";
    PrintPreparedBy => "报价人", "Prepared by";
    PrintBack => "返回报价", "Back to the quote";
    LineNo => "序号", "No.";
    QuotesOfCustomer => "报价", "Quotes";
    FilterStatus => "状态", "Status";
    AnyStatus => "所有状态", "Any status";
    SalesSettingsTitle => "报价与合同", "Quotes and contracts";
    SalesSettingsIntro => "新报价的默认税率和有效天数、需要审批的折扣上限、合同审批金额与成本计算方法。", "A new quote's default tax rate and validity, the discount above which a quote needs approval, the contract amount that needs approval, and how costs are worked out.";
    DefaultTaxRate => "默认税率 (%)", "Default tax rate (%)";
    DiscountLimit => "折扣上限 (%)", "Discount limit (%)";
    DiscountLimitHint => "任一明细折扣超过此值的报价需要经理和管理员审批。", "A quote with a line discount above this needs approval by a manager and an admin.";
    ContractApprovalAmount => "合同审批金额", "Contracts needing approval from";
    ContractApprovalHint => "0 表示合同无需审批。", "0: contracts need no approval.";
    QuoteValidDays => "报价有效天数", "Days a quote stays valid";
    CostMethod => "成本计算方法", "Cost method";
    CostWeightedAverage => "移动加权平均", "Weighted average";
    CostFifo => "先进先出", "First in, first out (FIFO)";
    NavStock => "库存", "Stock";
    StockTitle => "库存", "Stock";
    StockIntro => "各产品的现有库存和低库存提醒。成本按公司设置的方法计算，补录以前日期的入库或发货后自动重算。", "What is on hand of each product, and low-stock warnings. Costs follow the company's cost method and are worked out again when an earlier-dated stock-in or delivery is recorded.";
    StockIntroRep => "管理员和经理登记入库与调整；你可以在自己的合同页面登记发货。", "Admins and managers record stock-ins and adjustments; you deliver against your contracts on their pages.";
    LowStockTitle => "低库存提醒", "Low stock";
    LowStockLine => "现有 {on_hand} {unit}，提醒值 {threshold}", "{on_hand} {unit} on hand, warning at {threshold}";
    OnHand => "现有库存", "On hand";
    StockValue => "库存成本", "Value at cost";
    CostMethodIs => "成本计算方法：{method}", "Cost method: {method}";
    StockInTitle => "入库", "Stock-in";
    RecordStockIn => "登记入库", "Record stock-in";
    AdjustmentTitle => "库存调整", "Adjustment";
    RecordAdjustment => "登记调整", "Record adjustment";
    AdjustQuantityHint => "盘盈填正数，盘亏填负数，如 -2", "Positive for found, negative for lost, e.g. -2";
    AdjustReason => "原因", "Reason";
    Supplier => "供应商", "Supplier";
    UnitCost => "单位成本", "Unit cost";
    MoveDate => "日期", "Date";
    ChooseProduct => "请选择产品", "Choose a product";
    StockMovesTitle => "出入库记录", "Stock moves";
    NoStockMoves => "还没有出入库记录。", "No stock moves yet.";
    MoveKind => "类型", "Kind";
    MovePurchase => "入库", "Stock-in";
    MoveAdjustment => "调整", "Adjustment";
    MoveDelivery => "发货", "Delivery";
    MoveCost => "成本", "Cost";
    MoveDetail => "说明", "Details";
    RecordedBy => "经手人", "By";
    DeliveriesTitle => "发货与毛利", "Deliveries and margin";
    RecordDelivery => "登记发货", "Record a delivery";
    DeliveryLine => "合同明细", "Contract line";
    Ordered => "订购", "Ordered";
    Delivered => "已发货", "Delivered";
    Revenue => "收入", "Revenue";
    Cost => "成本", "Cost";
    GrossMargin => "毛利", "Gross margin";
    NoDeliveries => "还没有发货。", "Nothing delivered yet.";
    Completion => "完成度", "Completion";
    CompletionHint => "已发货数量与已回款金额两项比例的平均", "The mean of the share delivered and the share paid";
    MarginNote => "收入为该行金额中已发货部分；成本按{method}计算。", "Revenue is the delivered share of the line's amount; cost by {method}.";
    NavExpenses => "费用", "Expenses";
    NavTargets => "指标", "Targets";
    NavPlanner => "指标规划", "Target planner";
    TargetsTitle => "指标", "Targets";
    TargetsIntro => "公司、团队、销售、区域或产品的年度指标，按月分解；可按签约额或回款额考核。", "Annual targets for the company, a team, a rep, a region or a product, split into months; measured as signed revenue or as payments received.";
    TargetYear => "年度", "Year";
    TargetWhom => "对象", "For";
    TargetMeasureLabel => "考核口径", "Measured as";
    MeasureRevenue => "签约额", "Signed revenue";
    MeasurePayments => "回款额", "Payments received";
    TargetTotal => "年度指标", "Annual target";
    TargetSplitLabel => "分解方式", "Split";
    SplitEven => "平均分解", "Evenly";
    SplitLastYear => "按去年实际比例", "In proportion to last year";
    SplitManual => "手工调整", "By hand";
    SplitFill => "按方式分解到各月", "Split into months";
    SplitHint => "改动任一月份即为手工调整；各月合计须等于年度指标。", "Changing a month makes the split manual; the months must add up to the year.";
    MonthsSum => "各月合计", "Months total";
    MonthsDiff => "与年度指标相差", "Differs from the year by";
    QuarterN => "第{n}季度", "Q{n}";
    ScopeCompany => "全公司", "Whole company";
    ScopeTeam => "团队", "Team";
    ScopeRep => "销售", "Rep";
    ScopeRegion => "区域", "Region";
    ScopeProduct => "产品", "Product";
    NewTarget => "新建指标", "New target";
    EditTarget => "编辑指标", "Edit target";
    SaveTarget => "保存指标", "Save target";
    NoTargets => "这一年还没有指标。", "No targets for this year yet.";
    DeleteTargetConfirm => "删除这个指标？", "Delete this target?";
    TargetProgressLink => "进度", "Progress";
    TargetsReadOnly => "指标由管理员（公司、团队、区域、产品）和经理（本团队销售）设置。", "Targets are set by admins (company, team, region, product) and by managers (their team's reps).";
    ProgressTitle => "指标进度", "Target progress";
    ProgressAsOf => "统计至 {date}", "As of {date}";
    ProgressMtd => "本月至今", "Month to date";
    ProgressQtd => "本季至今", "Quarter to date";
    ProgressYtd => "本年至今", "Year to date";
    ProgressTarget => "指标", "Target";
    ProgressActual => "实际", "Actual";
    ProgressReached => "完成率", "Reached";
    ProgressLastYear => "去年同期", "Last year";
    ProgressRemaining => "尚差", "Still to go";
    ProgressPace => "剩余 {days} 天，每天需 {amount}", "{amount} a day for the {days} days left";
    ProgressDone => "已达成目标", "Target met";
    ProgressPeriodOver => "本期已结束", "The period is over";
    ProgressByMonth => "各月完成情况", "Month by month";
    ProgressMonth => "月份", "Month";
    BackToTargets => "返回指标", "Back to targets";
    WorkbenchTarget => "本月指标进度", "This month's target";
    WorkbenchTargetMine => "我的指标", "My target";
    WorkbenchTargetTeam => "团队指标", "Team target";
    WorkbenchTargetCompany => "公司指标", "Company target";
    WorkbenchNoTarget => "今年还没有设置指标。", "No target set for this year.";
    PlannerTitle => "指标规划", "Target planner";
    PlannerIntro => "根据收入指标、平均成交额和历史转化率（拜访 → 新客户 → 成交），算出每季度需要的新客户数和拜访数。留空的项按历史数据计算。", "From a revenue target, the average won deal and the historical conversion rates (visits → new customers → won deals), how many new customers and visits each quarter needs. Empty inputs are measured from the data.";
    PlannerFor => "规划对象", "Plan for";
    PlannerWindow => "历史区间（月）", "History window (months)";
    PlannerTarget => "年度收入指标", "Annual revenue target";
    PlannerTargetHint => "留空则用已保存的签约额指标", "Empty: the saved revenue target";
    PlannerDealSize => "平均成交额", "Average won deal";
    PlannerVisitRate => "拜访转化为新客户（%）", "Visits becoming customers (%)";
    PlannerWinRate => "每个新客户的成交数（%）", "Won deals per new customer (%)";
    PlannerCompute => "计算", "Work it out";
    PlannerHistoryTitle => "历史数据", "History";
    PlannerWindowSpan => "{from} 至 {to}", "{from} to {to}";
    PlannerVisits => "拜访", "Visits";
    PlannerNewCustomers => "新客户", "New customers";
    PlannerWonDeals => "成交商机", "Won deals";
    PlannerWonAmount => "成交金额", "Won amount";
    PlannerRatesTitle => "使用的比率", "Rates used";
    PlannerMeasured => "历史", "Measured";
    PlannerUsed => "采用", "Used";
    PlannerNotMeasured => "历史数据不足以算出比率（需要有拜访、新客户和成交）：请填写假设值。", "Too little history to measure the rates (it needs visits, new customers and won deals): type what-if values.";
    PlannerQuarter => "季度", "Quarter";
    PlannerQuarterTarget => "季度指标", "Quarter target";
    PlannerDealsNeeded => "需成交", "Deals";
    PlannerCustomersNeeded => "需新客户", "New customers";
    PlannerVisitsNeeded => "需拜访", "Visits";
    PlannerThisYear => "今年", "This year";
    PlannerRateVisit => "拜访 → 新客户", "Visit → customer";
    PlannerRateWin => "新客户 → 成交", "Customer → won deal";
    PlannerYearTotal => "全年", "Year";
    PlannerMissing => "缺少指标、平均成交额或转化率，无法计算。请保存指标或填写假设值。", "A target, an average deal or a rate is missing: save a target or type what-if values.";
    PlannerSavedTarget => "已保存的指标", "Saved target";
    AuditKindTarget => "指标", "Target";
    ErrSubjectUnknown => "没有这个对象，或您无权为其设置指标。", "No such team, rep, region or product, or not one you may set targets for.";
    ErrTargetTaken => "该对象这一年已有相同口径的指标。", "This one already has a target of that measure for the year.";
    ErrMonthsTooMuch => "各月合计比年度指标多 {amount}，请调整各月。", "The months add up to {amount} more than the year; adjust them.";
    ErrMonthsTooLittle => "各月合计比年度指标少 {amount}，请调整各月。", "The months add up to {amount} less than the year; adjust them.";
    ExpensesTitle => "费用", "Expenses";
    ExpensesIntro => "你能看到的费用：自己的、团队的（经理）或全部（管理员）。可按类别、经手人和时间筛选。", "The expenses you can see: your own, your team's (managers) or all (admins). Filter by category, who spent it and period.";
    ExpenseCategory => "类别", "Category";
    AnyCategory => "所有类别", "Any category";
    SpentBy => "经手人", "Spent by";
    AnyOne => "所有人", "Anyone";
    Total => "合计", "Total";
    NoExpenses => "还没有费用。", "No expenses yet.";
    NewExpense => "登记费用", "Record an expense";
    EditExpense => "修改费用", "Change the expense";
    RecordExpense => "登记", "Record";
    DeleteExpenseConfirm => "删除这笔费用？", "Delete this expense?";
    ExpenseCategoriesTitle => "费用类别", "Expense categories";
    ExpenseCategoriesHint => "每行一个类别。已登记的费用保留原来的类别。", "One category a line. Expenses already recorded keep theirs.";
    NavContracts => "合同", "Contracts";
    NavReceivables => "应收款", "Receivables";
    ContractsTitle => "合同", "Contracts";
    ContractsIntro => "你能看到的合同：自己的、团队的（经理）或全部（管理员）。接受的报价一键生成合同。", "The contracts you can see: your own, your team's (managers) or all (admins). An accepted quote becomes a contract in one click.";
    NoContracts => "还没有合同。", "No contracts yet.";
    ContractNumber => "合同编号", "Contract no.";
    ContractLabel => "合同", "Contract";
    ContractAmount => "合同金额", "Contract amount";
    Received => "已回款", "Received";
    Outstanding => "未回款", "Outstanding";
    SignDate => "签约日期", "Signed on";
    ContractVersionLabel => "版本", "Version";
    ContractStatusDraft => "草稿", "Draft";
    ContractStatusPendingApproval => "审批中", "Awaiting approval";
    ContractStatusExecuting => "执行中", "Executing";
    ContractStatusCompleted => "已完成", "Completed";
    ContractStatusClosed => "已关闭", "Closed";
    ContractStatusCancelled => "已作废", "Cancelled";
    ContractSign => "签约", "Sign";
    ContractComplete => "标记完成", "Mark completed";
    ContractClose => "关闭合同", "Close";
    ContractCancel => "作废", "Cancel contract";
    CreateContract => "生成合同", "Create the contract";
    ViewContract => "查看合同", "Open the contract";
    DealWonNeedsContract => "商机已赢单：生成合同，安排交付和回款计划。", "This deal is won: create its contract to plan deliveries and payments.";
    PaymentPlan => "回款计划", "Payment plan";
    EditPlan => "修改计划", "Change the plan";
    EditTerms => "修改条款", "Change the terms";
    NewPlanForAmount => "金额从 {old} 变为 {new}：回款计划须与新金额相符。", "The amount changes from {old} to {new}: the payment plan must add up to it.";
    TermsNewVersionHint => "合同执行中：保存后成为第 {n} 版，旧版本仍可查看。", "The contract is executing: saving makes version {n}, and the old one stays readable.";
    Installment => "期数", "Installment";
    DueDate => "到期日", "Due on";
    PaidInFull => "已付清", "Paid";
    AddInstallment => "添加一期", "Add an installment";
    PlanSum => "计划合计 {planned}，合同金额 {amount}", "Planned {planned} of {amount}";
    PlanDifference => "相差 {diff}", "difference {diff}";
    ConfirmPastDates => "确认：有的到期日在今天之前", "Confirm: some due dates are before today";
    PaymentsReceived => "回款记录", "Payments received";
    NoPayments => "还没有回款。", "No payments yet.";
    RecordPayment => "登记回款", "Record a payment";
    ReceivedOn => "回款日期", "Received on";
    PaymentMethodLabel => "方式", "Method";
    PayInstallment => "冲抵", "Pay";
    OldestFirst => "最早到期的先冲抵", "Oldest installment first";
    MethodBankTransfer => "银行转账", "Bank transfer";
    MethodCash => "现金", "Cash";
    MethodCheque => "支票", "Cheque";
    MethodAlipay => "支付宝", "Alipay";
    MethodWechat => "微信支付", "WeChat Pay";
    MethodOther => "其他", "Other";
    ContractVersions => "版本", "Versions";
    CompareVersions => "比较", "Compare";
    NoChanges => "两个版本没有差别。", "The two versions are the same.";
    DiffTitle => "标题：{old} → {new}", "Title: {old} → {new}";
    DiffSignDate => "签约日期：{old} → {new}", "Signed on: {old} → {new}";
    DiffTaxRate => "税率：{old}% → {new}%", "Tax rate: {old} % → {new} %";
    DiffAmount => "合同金额：{old} → {new}", "Amount: {old} → {new}";
    DiffOwners => "负责人与业绩分配：{old} → {new}", "Owners and credit split: {old} → {new}";
    DiffLineAdded => "新增明细：{line} × {quantity}，{net}", "Line added: {line} × {quantity}, {net}";
    DiffLineRemoved => "删除明细：{line} × {quantity}，{net}", "Line removed: {line} × {quantity}, {net}";
    DiffLineChanged => "明细变更：{line} 数量 {old_quantity} → {new_quantity}，金额 {old_net} → {new_net}", "Line changed: {line}, quantity {old_quantity} → {new_quantity}, amount {old_net} → {new_net}";
    ReceivablesTitle => "应收款", "Receivables";
    ReceivablesIntro => "已签合同中客户还欠的款项，按逾期天数分段：未到期、1–30 天、31–60 天、61–90 天、90 天以上。", "What customers still owe on signed contracts, by how late: not due, 1–30, 31–60, 61–90 and over 90 days.";
    ReceivablesCompany => "全公司", "Company-wide";
    ReceivablesByCustomer => "按客户", "By customer";
    ReceivablesByRep => "按销售", "By rep";
    LifetimeRevenue => "累计签约", "Lifetime revenue";
    LastPurchase => "最近购买", "Last purchase";
    DateDaysAgo => "{date}（{days} 天前）", "{date} ({days} days ago)";
    DateToday => "{date}（今天）", "{date} (today)";
    TimelineMoney => "交易", "Money";
    MoneyQuoteMade => "新建报价", "Quote made";
    MoneyQuoteSent => "报价已发送", "Quote sent";
    MoneyQuoteAccepted => "客户接受报价", "Quote accepted";
    MoneyQuoteRejected => "客户拒绝报价", "Quote rejected";
    MoneyContractMade => "新建合同", "Contract made";
    MoneyContractChanged => "合同变更", "Contract changed";
    MoneyDelivery => "发货", "Delivered";
    MoneyPayment => "回款", "Payment received";
    MoneyExpense => "费用", "Expense";
    QuoteHit => "报价 {number} · {customer}", "Quote {number} · {customer}";
    ContractHit => "合同 {number} · {customer}", "Contract {number} · {customer}";
    NothingOwed => "没有未回款项。", "Nothing is owed.";
    AgingNotDue => "未到期", "Not due";
    Aging1To30 => "1–30 天", "1–30 days";
    Aging31To60 => "31–60 天", "31–60 days";
    Aging61To90 => "61–90 天", "61–90 days";
    AgingOver90 => "90 天以上", "Over 90 days";
    ContractsOfCustomer => "合同", "Contracts";
    ApprovalsIntroAll => "重新打开商机、超过折扣上限的报价都需要审批：先由销售经理，再由管理员。", "Reopening deals and quotes above the discount limit need approval: first by a sales manager, then by an admin.";
    QuoteApprovalFor => "报价 {number} · {customer} · {amount}", "Quote {number} · {customer} · {amount}";
}

/// Replaces `{name}` placeholders.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    args.iter().fold(template.to_string(), |text, (k, v)| {
        text.replace(&format!("{{{k}}}"), v)
    })
}

pub fn role_msg(role: Role) -> Msg {
    match role {
        Role::Admin => Msg::RoleAdmin,
        Role::Manager => Msg::RoleManager,
        Role::Rep => Msg::RoleRep,
    }
}

pub fn audit_kind_msg(kind: AuditKind) -> Msg {
    match kind {
        AuditKind::Session => Msg::AuditKindSession,
        AuditKind::Customer => Msg::AuditKindCustomer,
        AuditKind::Contact => Msg::AuditKindContact,
        AuditKind::Deal => Msg::AuditKindDeal,
        AuditKind::Activity => Msg::AuditKindActivity,
        AuditKind::Task => Msg::AuditKindTask,
        AuditKind::Settings => Msg::AuditKindSettings,
        AuditKind::User => Msg::AuditKindUser,
        AuditKind::Pipeline => Msg::AuditKindPipeline,
        AuditKind::ApiToken => Msg::AuditKindApiToken,
        AuditKind::Target => Msg::AuditKindTarget,
    }
}

pub fn audit_action_msg(action: AuditAction) -> Msg {
    match action {
        AuditAction::Create => Msg::AuditCreate,
        AuditAction::Update => Msg::AuditUpdate,
        AuditAction::Delete => Msg::AuditDelete,
        AuditAction::Restore => Msg::AuditRestore,
        AuditAction::Purge => Msg::AuditPurge,
        AuditAction::SignIn => Msg::AuditSignIn,
        AuditAction::SignInFailed => Msg::AuditSignInFailed,
        AuditAction::SignOut => Msg::AuditSignOut,
    }
}

/// What an audit entry is about, as a reader names it: the record's name,
/// the settings page's, or the address a sign-in used.
pub fn audit_subject(entry: &AuditEntry, locale: Locale) -> String {
    let settings = match entry.label.as_str() {
        "company" => Some(Msg::AuditSettingsCompany),
        "customer_settings" => Some(Msg::AuditSettingsCustomers),
        "close_reasons" => Some(Msg::AuditSettingsCloseReasons),
        "customer_types" => Some(Msg::AuditSettingsCustomerTypes),
        "sales_settings" => Some(Msg::AuditSettingsSales),
        "expense_categories" => Some(Msg::AuditSettingsExpenseCategories),
        "backup_policy" => Some(Msg::AuditSettingsBackups),
        _ => None,
    };
    match (entry.kind, settings, &entry.email) {
        (AuditKind::Settings, Some(msg), _) => msg.text(locale).to_string(),
        (AuditKind::Session, _, Some(email)) => email.clone(),
        (AuditKind::Activity, _, _) => guanxi_core::model::ActivityKind::ALL
            .into_iter()
            .find(|k| k.code() == entry.label)
            .map(|k| activity_msg(k).text(locale).to_string())
            .unwrap_or_else(|| entry.label.clone()),
        _ => entry.label.clone(),
    }
}

/// The label of a record's field as its form names it; `None` for a
/// field no form shows, which the log then names as saved.
fn audit_field_msg(field: &str) -> Option<Msg> {
    Some(match field {
        "name" => Msg::Name,
        "title" => Msg::QuoteTitle,
        "customer_type" => Msg::CustomerType,
        "region" => Msg::Region,
        "industry" => Msg::Industry,
        "source" => Msg::Source,
        "grade" => Msg::Grade,
        "tags" => Msg::Tags,
        "phone" | "phones" => Msg::Phone,
        "email" => Msg::Email,
        "address" => Msg::Address,
        "website" => Msg::Website,
        "notes" | "note" => Msg::Notes,
        "owner" => Msg::Owner,
        "owners" => Msg::Owners,
        "amount" => Msg::Amount,
        "stage_id" => Msg::Stage,
        "status" => Msg::Status,
        "expected_close" => Msg::ExpectedClose,
        "confidence" => Msg::Confidence,
        "competitors" => Msg::Competitors,
        "close_reason" => Msg::CloseReason,
        "lost_to" => Msg::LostTo,
        "role" => Msg::Role,
        "team" => Msg::Team,
        "active" => Msg::Active,
        "password" => Msg::Password,
        "currency" => Msg::Currency,
        "time_zone" => Msg::TimeZone,
        "customer_id" => Msg::Customer,
        "deal_id" => Msg::DealLabel,
        "pipeline_id" => Msg::Pipeline,
        "kind" => Msg::Kind,
        "due" => Msg::Due,
        "file" => Msg::AuditFieldFile,
        "discount_limit" => Msg::DiscountLimit,
        "default_tax_rate" => Msg::DefaultTaxRate,
        "contract_approval_amount" => Msg::ContractApprovalAmount,
        "cost_method" => Msg::CostMethod,
        "quote_valid_days" => Msg::QuoteValidDays,
        "categories" => Msg::ExpenseCategory,
        "year" => Msg::TargetYear,
        "scope" | "subject_id" | "subject_name" => Msg::TargetWhom,
        "measure" => Msg::TargetMeasureLabel,
        "total" => Msg::TargetTotal,
        "months" => Msg::ProgressByMonth,
        _ => return None,
    })
}

/// A value as the page names it where it is a code the log keeps: a
/// deal's status.
fn audit_value(kind: AuditKind, field: &str, value: &str, locale: Locale) -> String {
    let msg = match (kind, field, value) {
        (AuditKind::Deal, "status", "open") => Msg::DealOpen,
        (AuditKind::Deal, "status", "suspended") => Msg::DealSuspended,
        (AuditKind::Deal, "status", "won") => Msg::StageWon,
        (AuditKind::Deal, "status", "lost") => Msg::StageLost,
        _ => return value.to_string(),
    };
    msg.text(locale).to_string()
}

/// An entry's changes as one line: `field: old → new; …`, each field by
/// its form's label (a new password as only that it changed).
pub fn audit_changes_text(entry: &AuditEntry, locale: Locale) -> String {
    let colon = match locale {
        Locale::ZhCn => "：",
        Locale::En => ": ",
    };
    entry
        .changes
        .iter()
        .map(|c| {
            let field = audit_field_msg(&c.field)
                .map_or_else(|| c.field.clone(), |m| m.text(locale).to_string());
            let value = |v: &str| audit_value(entry.kind, &c.field, v, locale);
            match c.field.as_str() {
                "password" => format!("{field}{colon}{}", Msg::AuditPasswordChanged.text(locale)),
                _ if c.old.is_empty() => format!("{field}{colon}{}", value(&c.new)),
                _ => format!("{field}{colon}{} → {}", value(&c.old), value(&c.new)),
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// An order column's name, as the order import's mapping offers it;
/// `None` for targets of other imports.
pub fn order_column_msg(target: &guanxi_core::model::Target) -> Option<Msg> {
    use guanxi_core::model::Target;
    Some(match target {
        Target::OrderNumber => Msg::TargetOrderNumber,
        Target::OrderCustomer => Msg::TargetOrderCustomer,
        Target::SignDate => Msg::SignDate,
        Target::LineProduct => Msg::TargetLineProduct,
        Target::LineDescription => Msg::TargetLineDescription,
        Target::LineUnit => Msg::ProductUnit,
        Target::Quantity => Msg::LineQuantity,
        Target::UnitPrice => Msg::LineUnitPrice,
        Target::Discount => Msg::LineDiscount,
        Target::TaxRate => Msg::TaxRate,
        Target::OrderOwner => Msg::TargetOrderOwner,
        Target::AmountReceived => Msg::TargetAmountReceived,
        Target::ReceivedOn => Msg::ReceivedOn,
        _ => return None,
    })
}

/// A product column's name, as the export heads it and the import's
/// mapping offers it; `None` for targets of customer imports.
pub fn product_column_msg(target: &guanxi_core::model::Target) -> Option<Msg> {
    use guanxi_core::model::Target;
    Some(match target {
        Target::ProductCode => Msg::ProductCode,
        Target::ProductName => Msg::ProductName,
        Target::Unit => Msg::ProductUnit,
        Target::Category => Msg::ProductCategory,
        Target::ListPrice => Msg::ListPrice,
        Target::StandardCost => Msg::StandardCost,
        Target::LowStockThreshold => Msg::LowStockThreshold,
        Target::Active => Msg::Status,
        _ => return None,
    })
}

pub fn customer_type_msg(code: &str) -> Option<Msg> {
    match code {
        "potential" => Some(Msg::TypePotential),
        "signed" => Some(Msg::TypeSigned),
        "agent" => Some(Msg::TypeAgent),
        "invalid" => Some(Msg::TypeInvalid),
        _ => None,
    }
}

pub fn activity_msg(kind: guanxi_core::model::ActivityKind) -> Msg {
    use guanxi_core::model::ActivityKind::*;
    match kind {
        Call => Msg::ActCall,
        Visit => Msg::ActVisit,
        Sms => Msg::ActSms,
        Email => Msg::ActEmail,
        Wechat => Msg::ActWechat,
        Qq => Msg::ActQq,
        Meeting => Msg::ActMeeting,
        Note => Msg::ActNote,
    }
}

pub fn decision_role_msg(role: Option<guanxi_core::model::DecisionRole>) -> Msg {
    use guanxi_core::model::DecisionRole::*;
    match role {
        None => Msg::RoleNone,
        Some(DecisionMaker) => Msg::RoleDecisionMaker,
        Some(Influencer) => Msg::RoleInfluencer,
        Some(User) => Msg::RoleUser,
        Some(Gatekeeper) => Msg::RoleGatekeeper,
    }
}

pub fn quote_status_msg(status: QuoteStatus) -> Msg {
    match status {
        QuoteStatus::Draft => Msg::QuoteStatusDraft,
        QuoteStatus::PendingApproval => Msg::QuoteStatusPendingApproval,
        QuoteStatus::Approved => Msg::QuoteStatusApproved,
        QuoteStatus::Sent => Msg::QuoteStatusSent,
        QuoteStatus::Accepted => Msg::QuoteStatusAccepted,
        QuoteStatus::Rejected => Msg::QuoteStatusRejected,
        QuoteStatus::Expired => Msg::QuoteStatusExpired,
    }
}

pub fn contract_status_msg(status: ContractStatus) -> Msg {
    match status {
        ContractStatus::Draft => Msg::ContractStatusDraft,
        ContractStatus::PendingApproval => Msg::ContractStatusPendingApproval,
        ContractStatus::Executing => Msg::ContractStatusExecuting,
        ContractStatus::Completed => Msg::ContractStatusCompleted,
        ContractStatus::Closed => Msg::ContractStatusClosed,
        ContractStatus::Cancelled => Msg::ContractStatusCancelled,
    }
}

pub fn cost_method_msg(method: guanxi_core::model::CostMethod) -> Msg {
    match method {
        guanxi_core::model::CostMethod::WeightedAverage => Msg::CostWeightedAverage,
        guanxi_core::model::CostMethod::Fifo => Msg::CostFifo,
    }
}

pub fn payment_method_msg(method: PaymentMethod) -> Msg {
    match method {
        PaymentMethod::BankTransfer => Msg::MethodBankTransfer,
        PaymentMethod::Cash => Msg::MethodCash,
        PaymentMethod::Cheque => Msg::MethodCheque,
        PaymentMethod::Alipay => Msg::MethodAlipay,
        PaymentMethod::Wechat => Msg::MethodWechat,
        PaymentMethod::Other => Msg::MethodOther,
    }
}

pub fn approval_level_msg(level: ApprovalLevel) -> Msg {
    match level {
        ApprovalLevel::Manager => Msg::ApprovalLevelManager,
        ApprovalLevel::Admin => Msg::ApprovalLevelAdmin,
    }
}

/// The language name, always in its own language, as switchers show it.
pub fn locale_name(locale: Locale) -> &'static str {
    match locale {
        Locale::ZhCn => "中文",
        Locale::En => "English",
    }
}

/// The sentence a user reads for a core error.
pub fn error_text(error: &Error, locale: Locale) -> String {
    let t = |m: Msg| m.text(locale).to_string();
    match error {
        Error::Invalid { field, problem } => problem_text(*field, *problem, locale),
        Error::InvalidCustomField { problem, .. } => problem_text(Field::Custom, *problem, locale),
        Error::Unauthenticated => t(Msg::ErrUnauthenticated),
        Error::Forbidden => t(Msg::ErrForbidden),
        Error::NotFound => t(Msg::ErrNotFound),
        Error::Conflict => t(Msg::ErrConflict),
        Error::BadCredentials => t(Msg::ErrBadCredentials),
        Error::Deactivated => t(Msg::ErrDeactivated),
        Error::RateLimited { retry_after_secs } => {
            let minutes = retry_after_secs.div_ceil(60).to_string();
            fill(Msg::ErrRateLimited.text(locale), &[("n", &minutes)])
        }
        Error::AlreadySetUp => t(Msg::ErrAlreadySetUp),
        Error::NotSetUp => t(Msg::ErrNotSetUp),
        Error::LastAdmin => t(Msg::ErrLastAdmin),
        Error::PossibleDuplicates(hints) => {
            let names: Vec<&str> = hints.iter().map(|h| h.customer_name.as_str()).collect();
            let separator = if locale == Locale::ZhCn { "、" } else { ", " };
            fill(
                Msg::ErrPossibleDuplicates.text(locale),
                &[("names", &names.join(separator))],
            )
        }
        Error::HoldingLimit { user, held, limit } => fill(
            Msg::ErrHoldingLimit.text(locale),
            &[
                ("user", user),
                ("held", &held.to_string()),
                ("limit", &limit.to_string()),
            ],
        ),
        Error::UnknownCustomerType { value } => fill(
            Msg::ErrUnknownCustomerType.text(locale),
            &[("value", value)],
        ),
        Error::ChecklistIncomplete { missing } => {
            let separator = if locale == Locale::ZhCn { "、" } else { ", " };
            fill(
                Msg::ErrChecklistIncomplete.text(locale),
                &[("items", &missing.join(separator))],
            )
        }
        Error::PlanMismatch { difference } => {
            let msg = if difference.0 > 0 {
                Msg::ErrPlanTooMuch
            } else {
                Msg::ErrPlanTooLittle
            };
            fill(
                msg.text(locale),
                &[("amount", &format_amount(Cents(difference.0.abs())))],
            )
        }
        Error::MonthsMismatch { difference } => {
            let msg = if difference.0 > 0 {
                Msg::ErrMonthsTooMuch
            } else {
                Msg::ErrMonthsTooLittle
            };
            fill(
                msg.text(locale),
                &[("amount", &format_amount(Cents(difference.0.abs())))],
            )
        }
        Error::PaymentTooLarge { outstanding } => fill(
            Msg::ErrPaymentTooLarge.text(locale),
            &[("amount", &format_amount(*outstanding))],
        ),
        Error::ApprovalPending => t(Msg::ErrApprovalPending),
        Error::WrongStatus { status } => {
            let status = QuoteStatus::parse(status)
                .map(|s| quote_status_msg(s).text(locale).to_string())
                .or_else(|| {
                    ContractStatus::parse(status)
                        .map(|s| contract_status_msg(s).text(locale).to_string())
                })
                .unwrap_or_else(|| status.clone());
            fill(Msg::ErrWrongStatus.text(locale), &[("status", &status)])
        }
        Error::InUse => t(Msg::ErrInUse),
        Error::HasPayments => t(Msg::ErrHasPayments),
        Error::HasDeliveries => t(Msg::ErrHasDeliveries),
        Error::RestoreCustomerFirst { customer } => fill(
            Msg::ErrRestoreCustomerFirst.text(locale),
            &[("customer", customer)],
        ),
        Error::StockShortage {
            product,
            on_hand,
            date,
        } => fill(
            Msg::ErrStockShortage.text(locale),
            &[
                ("product", product),
                ("on_hand", &on_hand.to_string()),
                ("date", &date.format("%Y-%m-%d").to_string()),
            ],
        ),
        Error::OverDelivery { undelivered } => fill(
            Msg::ErrOverDelivery.text(locale),
            &[("quantity", &undelivered.to_string())],
        ),
        Error::LineDelivered { line, delivered } => fill(
            Msg::ErrLineDelivered.text(locale),
            &[("line", line), ("quantity", &delivered.to_string())],
        ),
        Error::CustomerNotMatched { value } => {
            fill(Msg::ErrCustomerNotMatched.text(locale), &[("value", value)])
        }
        Error::CustomerAmbiguous { value, matches } => fill(
            Msg::ErrCustomerAmbiguous.text(locale),
            &[("value", value), ("n", &matches.to_string())],
        ),
        Error::OrderRowDiffers { row } => fill(
            Msg::ErrOrderRowDiffers.text(locale),
            &[("row", &row.to_string())],
        ),
        Error::StorageFull => t(Msg::ErrStorageFull),
        Error::StorageUnavailable => t(Msg::ErrStorageUnavailable),
        Error::Internal(_) => t(Msg::ErrInternal),
    }
}

pub fn problem_text(field: Field, problem: Problem, locale: Locale) -> String {
    let msg = match (field, problem) {
        (Field::Email, Problem::Malformed) => Msg::ErrEmailMalformed,
        (Field::Email, Problem::Taken) => Msg::ErrEmailTaken,
        (Field::TimeZone, Problem::Unknown) => Msg::ErrTimeZoneUnknown,
        (Field::Currency, Problem::Malformed) => Msg::ErrCurrencyMalformed,
        (Field::Password, Problem::Malformed) => Msg::ErrWrongCurrentPassword,
        (Field::Amount, Problem::Malformed) => Msg::ErrAmountMalformed,
        (Field::Birthday, Problem::OutOfRange { .. }) => Msg::ErrBirthdayRange,
        (Field::Owners, Problem::OutOfRange { min: 100, max: 100 }) => Msg::ErrOwnersSplit,
        (Field::Owners, Problem::Taken) => Msg::ErrOwnersTwice,
        (Field::Reopen, Problem::Taken) => Msg::ErrReopenPending,
        (Field::Stage, Problem::Taken) => Msg::ErrStageHasDeals,
        (Field::Stages, Problem::Malformed) => Msg::ErrStagesOrder,
        (Field::Reason, Problem::Unknown) => Msg::ErrReasonUnknown,
        (Field::CloseMonth, Problem::Malformed) => Msg::ErrMonthMalformed,
        (Field::Period, Problem::Malformed) => Msg::ErrPeriodMalformed,
        (Field::Deal, Problem::Unknown) => Msg::ErrDealNotOfCustomer,
        (Field::Contract, Problem::Unknown) => Msg::ErrContractNotOfCustomer,
        (Field::Qualification, Problem::Unknown) => Msg::ErrGradeUnknown,
        (Field::Code, Problem::Taken) => Msg::ErrCodeTaken,
        (Field::OrderNumber, Problem::Taken) => Msg::ErrOrderNumberTaken,
        (Field::Code, Problem::Malformed) => Msg::ErrCodeMalformed,
        (Field::Active, Problem::Unknown) => Msg::ErrActiveUnknown,
        (Field::Lines, Problem::Required) => Msg::ErrLinesRequired,
        (Field::Product, Problem::Unknown) => Msg::ErrProductUnknown,
        (Field::Quantity | Field::LowStockThreshold, Problem::Malformed) => {
            Msg::ErrQuantityMalformed
        }
        (Field::TaxRate | Field::Discount | Field::DiscountLimit, Problem::Malformed) => {
            Msg::ErrRateMalformed
        }
        (Field::ValidUntil, Problem::OutOfRange { .. }) => Msg::ErrValidUntilRange,
        (
            Field::ListPrice
            | Field::StandardCost
            | Field::UnitPrice
            | Field::ContractApprovalAmount,
            Problem::Malformed,
        ) => Msg::ErrAmountMalformed,
        (_, Problem::InFuture) => Msg::ErrTimeInFuture,
        (_, Problem::InPast) => Msg::ErrDateInPast,
        (Field::Quote, Problem::Taken) => Msg::ErrQuoteHasContract,
        (Field::Deal, Problem::Taken) => Msg::ErrDealHasContract,
        (Field::Line, Problem::Unknown) => Msg::ErrLineUnknown,
        (Field::Subject, Problem::Unknown) => Msg::ErrSubjectUnknown,
        (Field::Subject, Problem::Taken) => Msg::ErrTargetTaken,
        (Field::Target | Field::Months | Field::DealSize, Problem::Malformed) => {
            Msg::ErrAmountMalformed
        }
        (Field::VisitRate | Field::WinRate, Problem::Malformed) => Msg::ErrRateMalformed,
        (_, Problem::Required) => Msg::ErrRequired,
        (_, Problem::TooShort { min }) => {
            return fill(Msg::ErrTooShort.text(locale), &[("n", &min.to_string())]);
        }
        (_, Problem::TooLong { max }) => {
            return fill(Msg::ErrTooLong.text(locale), &[("n", &max.to_string())]);
        }
        (_, Problem::OutOfRange { min, max }) => {
            return fill(
                Msg::ErrOutOfRange.text(locale),
                &[("min", &min.to_string()), ("max", &max.to_string())],
            );
        }
        (_, Problem::Malformed) => Msg::ErrMalformed,
        (_, Problem::Unknown) => Msg::ErrUnknown,
        (_, Problem::Taken) => Msg::ErrTaken,
    };
    msg.text(locale).to_string()
}

/// The reader's language, provided by the app root: the viewer's language as the
/// server worked it out, until the user picks another in this page.
#[derive(Clone, Copy)]
pub struct I18n {
    pub locale: Memo<Locale>,
    pub chosen: RwSignal<Option<Locale>>,
    /// The company currency (ISO 4217): amounts are shown in it.
    pub currency: StoredValue<String>,
}

impl I18n {
    /// A reactive text: re-renders when the language changes.
    pub fn t(self, msg: Msg) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        move || msg.text(self.locale.get())
    }

    /// As `t`, for text the server reads once rendering is over, when the
    /// page's signals may already be gone (the document's title and
    /// language): then the language at creation stands.
    pub fn t_lasting(self, msg: Msg) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        let at_creation = self.now();
        move || msg.text(self.locale.try_get().unwrap_or(at_creation))
    }

    /// The language, read as `t_lasting` reads it.
    pub fn locale_lasting(self) -> impl Fn() -> Locale + Copy + Send + Sync + 'static {
        let at_creation = self.now();
        move || self.locale.try_get().unwrap_or(at_creation)
    }

    pub fn now(self) -> Locale {
        self.locale.get_untracked()
    }

    /// An amount with every cent and the currency symbol: `¥120,000.00`.
    pub fn money(self, amount: Cents) -> impl Fn() -> String + Copy + Send + Sync + 'static {
        move || self.money_in(amount, MoneyStyle::Exact)
    }

    /// A total: in zh-CN `¥128.5万` from 10万 on; `money` gives its exact
    /// amount for a tooltip.
    pub fn money_total(self, amount: Cents) -> impl Fn() -> String + Copy + Send + Sync + 'static {
        move || self.money_in(amount, MoneyStyle::Compact)
    }

    /// The amount in the current language, read (and tracked) once.
    pub fn money_in(self, amount: Cents, style: MoneyStyle) -> String {
        let locale = self.locale.try_get().unwrap_or_default();
        // Read in place: a dashboard formats thousands of amounts.
        self.currency
            .try_with_value(|currency| format_money(amount, currency, locale, style))
            .unwrap_or_else(|| format_money(amount, "", locale, style))
    }

    /// The currency's symbol, for the prefix of an amount field.
    pub fn currency_symbol(self) -> String {
        currency_symbol(&self.currency.try_get_value().unwrap_or_default())
            .trim()
            .to_string()
    }
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_has_text_in_both_languages() {
        for locale in Locale::ALL {
            assert!(!Msg::AppName.text(locale).is_empty());
        }
        assert_eq!(Msg::Save.text(Locale::ZhCn), "保存");
        assert_eq!(Msg::Save.text(Locale::En), "Save");
    }

    #[test]
    fn a_targets_months_that_do_not_add_up_say_by_how_much() {
        let over = Error::MonthsMismatch {
            difference: Cents(100_000),
        };
        assert_eq!(
            error_text(&over, Locale::ZhCn),
            "各月合计比年度指标多 1,000.00，请调整各月。"
        );
        let under = Error::MonthsMismatch {
            difference: Cents(-5),
        };
        assert_eq!(
            error_text(&under, Locale::En),
            "The months add up to 0.05 less than the year; adjust them."
        );
    }

    #[test]
    fn errors_read_as_sentences() {
        let e = Error::invalid(Field::Password, Problem::TooShort { min: 10 });
        assert_eq!(error_text(&e, Locale::En), "At least 10 characters.");
        assert_eq!(error_text(&e, Locale::ZhCn), "至少 10 个字符。");
        let limited = Error::RateLimited {
            retry_after_secs: 61,
        };
        assert_eq!(
            error_text(&limited, Locale::En),
            "Too many failed attempts. Try again in 2 minutes."
        );
    }
}
