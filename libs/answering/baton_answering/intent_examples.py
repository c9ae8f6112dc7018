"""How visitors of a SaaS product word what only a teammate can handle, one list per reason.

Written for the product (a subscription web app with accounts, plans, invoices and roles), not
taken from any evaluation set. `HOW_TO` holds the look-alikes that stay with the docs: the same
topics asked as "how do I do this for a customer or a teammate", so a message is routed only
when it sits nearer a reason than any how-to question.
"""

ASKED_FOR_HUMAN = (
    "I want to talk to a real person",
    "can I speak with someone from your team",
    "please put me through to a support agent",
    "is there a human I can chat with instead of this bot",
    "I'd rather discuss this with somebody on the phone",
    "have someone contact me about this",
    "this assistant isn't helping, get me a person",
    "connect me with customer service",
    "I need a representative to look at my account",
    "can a teammate of yours take over this conversation",
)
BILLING_DISPUTE = (
    "you charged us twice this month",
    "there is a charge on my credit card I don't recognise",
    "our invoice is higher than the price we agreed",
    "we already paid but you keep sending payment reminders",
    "why was my card billed after I downgraded",
    "the amount you took from our account is wrong",
    "I was billed for seats we never used",
    "your invoice charges us for the wrong plan",
    "we are being overcharged every month",
    "stop taking money from my account",
)
REFUND = (
    "I want my money back",
    "please refund our last payment",
    "can we get a refund for the unused months",
    "I paid for the annual plan by mistake and need a refund",
    "give us back what we paid for this month",
    "we expect to be reimbursed for the outage",
    "how do I get refunded for the renewal I didn't want",
    "return the money you charged me",
)
CANCELLATION = (
    "cancel my subscription",
    "we want to stop our plan at the end of the month",
    "please close our company account",
    "I don't want to renew, end our contract",
    "how do we terminate our subscription with you",
    "delete my account entirely",
    "we are leaving your service, stop billing us",
    "turn off auto renewal on our plan and cancel it",
)
PRIVACY_REQUEST = (
    "delete all the personal data you hold about me",
    "send me a copy of every piece of information you store on me",
    "I am making a GDPR request for my data",
    "what do you know about me, I want my data exported",
    "erase my personal information from your systems",
    "I want to exercise my right to be forgotten",
    "who has access to my personal details at your company",
    "remove my email address and name from all your records",
)
PERMISSION_CHANGE = (
    "make me an administrator of our account",
    "I need admin rights, the previous admin left the company",
    "give my user owner access",
    "our only admin is gone and nobody can change settings, grant me access",
    "please upgrade my role so I can manage users",
    "I lost admin access to our workspace, restore it",
    "transfer ownership of the account to me",
    "unlock my account, I'm locked out and our admin is away",
)
ANGRY_COMPLAINT = (
    "this is unacceptable, your product lost our data and I want compensation",
    "I'm furious, your service has been down all day and it cost us customers",
    "worst support I have ever had, I'm going to report you",
    "you wasted a week of my time, I demand to be compensated",
    "we are extremely unhappy and considering legal action",
    "your update broke everything and nobody cares, this is a disgrace",
    "I am sick of this, nothing works and I want someone accountable",
    "we pay a lot for this and it keeps failing, make it right",
)
# About the company behind the product rather than its use: its prices, the state of the
# visitor's own invoices, its hosting and contract terms. Help docs explain the product, so a
# close-looking page (a revenue report for a price question) would be a wrong answer.
VENDOR_TERMS = (
    "how much does your business plan cost per user",
    "what is the price of a yearly subscription",
    "do you offer a discount for nonprofits or startups",
    "has our latest payment to you been received",
    "can you confirm that our invoice is settled",
    "in which country are your servers, where is our data stored",
    "what uptime do you guarantee for the hosted service",
    "are you SOC 2 or ISO 27001 certified",
    "will you sign a data processing agreement with us",
    "when does our contract with you renew",
)
HOW_TO = (
    "how do I issue a refund to a customer",
    "how do I record a payment on an invoice",
    "how do I create an invoice for a client",
    "how can I cancel a scheduled email campaign",
    "how do I cancel a meeting I created",
    "how do I give a teammate admin rights",
    "how do I change a user's role",
    "how do I add a new user to the team",
    "how do I reset a user's password",
    "how do I delete a contact's personal data",
    "how do I export all records to a file",
    "how do I set up GDPR consent fields",
    "where do I see the invoices of my subscription",
    "how do I change the currency of prices",
    "how do I escalate a ticket to another group",
    "how do I assign a ticket to an agent",
    "how do I configure roles and permissions",
    "how do I set up an email account",
    "how do I close a ticket",
    "how do I set prices for my products",
    "how do I mark an invoice as paid",
    "how do I configure service level agreements for response times",
    "how do I see which customers have unpaid invoices",
    "how do I back up my data",
)
