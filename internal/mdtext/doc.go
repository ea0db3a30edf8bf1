// Package mdtext writes untrusted text (application and rule names,
// countries, file names, messages) into GitHub-flavoured Markdown and
// GitHub Actions annotations so that it stays text: it cannot close a
// table cell, open a link, an image or an HTML tag, and cannot mention a
// user or a team (`@name`, `@org/team`) or reference an issue (`#123`),
// which GitHub would turn into a notification from a bot's comment.
//
// Every renderer of Markdown calls Text for prose and table cells and Code
// for code spans:
//
//	fmt.Fprintf(w, "| %s | %s |\n", mdtext.Text(app), mdtext.Code(rule))
package mdtext
