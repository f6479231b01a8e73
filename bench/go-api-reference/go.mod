module goapireference

go 1.19
